namespace Converge.Testing;

/// <summary>Where a part sits in a concatenated SMS: reference, total and sequence, and how they were carried (udh8, udh16, sar).</summary>
internal sealed record PartConcatenation(int Reference, int Total, int Sequence, string Kind);
