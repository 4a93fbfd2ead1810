namespace Converge.Interworking.Email;

/// <summary>One header field as read: the name and the unfolded value, not yet decoded.</summary>
public sealed record MimeHeader(string Name, string Value);
