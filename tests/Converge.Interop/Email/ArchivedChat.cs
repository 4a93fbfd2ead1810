namespace Converge.Interop.Email;

/// <summary>One message of a XEP-0313 archive query, as slixmpp's xep_0313 plugin returned it.</summary>
internal sealed record ArchivedChat(string From, string To, string? Body, string? Thread);
