namespace Converge.Testing;

/// <summary>One submit_sm as it reached a handset: the raw octets and what the simulator read from them.</summary>
/// <param name="Udh">The user data header in hex (e.g. 050003A50301), null without one.</param>
/// <param name="ShortMessage">The whole short_message in hex.</param>
/// <param name="Concatenation">The concatenation the part declares (UDH or SAR), null for a single SMS.</param>
internal sealed record HandsetPart(string MessageId, int DataCoding, int EsmClass, string? Udh, string ShortMessage, string Text, PartConcatenation? Concatenation);
