namespace Converge.Core.Storage;

/// <summary>
/// A user's report that another address sent spam or abuse (XEP-0377), kept for the operator.
/// </summary>
/// <param name="Id">Given by the store; 0 in a report not yet stored.</param>
/// <param name="Reporter">The reporting account (bare JID).</param>
/// <param name="Reported">The address reported (a JID as the user blocked it: bare, full or a domain).</param>
/// <param name="Reason"><c>spam</c> or <c>abuse</c> (the XEP-0377 reason element's name).</param>
/// <param name="Text">The user's own words, if any (bounded by the server before storing).</param>
/// <param name="At">When the server received it.</param>
public sealed record SpamReport(long Id, string Reporter, string Reported, string Reason, string? Text, DateTimeOffset At);
