namespace Converge.Xmpp.Upload;

/// <summary>The answer to a slot request: the URLs when granted, or why not.</summary>
internal sealed record SlotGrant(SlotRequestOutcome Outcome, Uri? PutUrl = null, Uri? GetUrl = null, string? Reason = null);
