namespace Converge.Interworking.Sms.Concatenation;

/// <summary>What makes parts belong together: same originator, same recipient, same reference and count.</summary>
internal readonly record struct ReassemblyKey(string Source, string Destination, int Reference, int Total, bool SixteenBit);
