using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>One message in a user's archive (XEP-0313): what was sent or received, as stanza XML.</summary>
/// <param name="Id">The archive id, also the XEP-0359 stanza-id: unique per owner's archive, opaque to clients.</param>
/// <param name="Owner">The archive's owner (bare JID).</param>
/// <param name="With">The other party (bare JID; for interworked messages e.g. +4915...@a.example).</param>
/// <param name="Timestamp">When the server archived it.</param>
/// <param name="Outgoing">Sent by the owner (true) or received (false).</param>
/// <param name="Thread">The XMPP &lt;thread&gt; (conversation id), if any.</param>
/// <param name="StanzaXml">The message stanza as serialized with jabber:client as default namespace.</param>
public sealed record ArchivedMessage(string Id, Jid Owner, Jid With, DateTimeOffset Timestamp, bool Outgoing, string? Thread, string StanzaXml)
{
    /// <summary>The de-duplication key it was stored with (<see cref="ArchiveEntry.OriginKey"/>); not read back by queries.</summary>
    public string? OriginKey { get; init; }
}

/// <summary>A new message to archive; the store assigns the id.</summary>
/// <param name="OriginKey">
/// What identifies the message as its sender made it, for de-duplication when a client sends it again
/// after a crash or a lost acknowledgement: <c>o:</c> + the XEP-0359 origin-id (unique for good), or
/// <c>i:</c> + the stanza's id (trusted for an hour only: clients reuse simple counters). Null: never de-duplicated.
/// </param>
public sealed record ArchiveEntry(Jid Owner, Jid With, DateTimeOffset Timestamp, bool Outgoing, string? Thread, string StanzaXml, string? OriginKey = null);

/// <summary>
/// A message whose archive id (and XEP-0359 stanza-id) is fixed at once and whose row is written by the
/// next grouped commit: the delivered copy can carry the id before the commit, and whoever acknowledges
/// the message waits for <see cref="Stored"/>.
/// </summary>
public readonly record struct StagedArchiveMessage(ArchivedMessage Message, Task Stored);

/// <summary>
/// A XEP-0313 query with XEP-0059 paging. Filters combine with AND. Paging: <see cref="After"/> returns the
/// <see cref="Max"/> messages following that id (oldest first); <see cref="Before"/> the <see cref="Max"/> messages
/// preceding that id (still returned oldest first); <see cref="LastPage"/> (RSM empty &lt;before/&gt;) the newest page.
/// <see cref="Flip"/> (XEP-0313 &lt;flip-page/&gt;) returns the page's messages newest first.
/// </summary>
public sealed record ArchiveQuery(
    Jid Owner,
    Jid? With = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    string? After = null,
    string? Before = null,
    bool LastPage = false,
    int Max = 50,
    string? Thread = null,
    bool Flip = false,
    IReadOnlyCollection<string>? Ids = null);

/// <param name="Messages">The page.</param>
/// <param name="Complete">True when this page reaches the end of the results in the paging direction (XEP-0313 complete='true').</param>
/// <param name="Count">Total number of messages matching the filters (ignoring paging).</param>
public sealed record ArchivePage(IReadOnlyList<ArchivedMessage> Messages, bool Complete, int Count);

/// <summary>XEP-0313 preferences: default 'always' | 'never' | 'roster', plus JIDs always/never archived.</summary>
public sealed record ArchivePreferences(string Default, IReadOnlyList<Jid> Always, IReadOnlyList<Jid> Never)
{
    public static ArchivePreferences Standard { get; } = new("always", [], []);
}

public interface IArchiveStore
{
    /// <summary>Stores durably (grouped commit) and returns the stored message with its new id.</summary>
    Task<ArchivedMessage> AppendAsync(ArchiveEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fixes the message's id and timestamp now, without waiting, and queues its row for the next grouped
    /// commit. Ids and timestamps grow together in staging order. A message whose <see cref="ArchiveEntry.OriginKey"/>
    /// the archive already holds for the same owner, correspondent and direction is not stored twice
    /// (<see cref="StagedArchiveMessage.Stored"/> completes all the same).
    /// </summary>
    StagedArchiveMessage Stage(ArchiveEntry entry);

    /// <summary>Several entries in one grouped commit (e.g. the sender's and the recipient's copy).</summary>
    Task<IReadOnlyList<ArchivedMessage>> AppendAsync(IReadOnlyList<ArchiveEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Runs a query. An unknown After/Before id throws <see cref="KeyNotFoundException"/> (the caller answers item-not-found).</summary>
    Task<ArchivePage> QueryAsync(ArchiveQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the owner's messages older than <paramref name="before"/>, or all of them when null. Returns how many.</summary>
    Task<int> DeleteAsync(Jid owner, DateTimeOffset? before, CancellationToken cancellationToken = default);

    /// <summary>Deletes every owner's messages older than <paramref name="before"/> (retention). Returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>
    /// The size of the owner's archive: the UTF-8 bytes of its stored stanzas, kept by the database as
    /// rows come and go, so reading it costs one lookup.
    /// </summary>
    Task<long> BytesAsync(Jid owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Quota with retention (Archive.QuotaBytesPerUser): deletes the owner's oldest messages until what
    /// remains takes at most <paramref name="maxBytes"/>. Returns how many were deleted.
    /// </summary>
    Task<int> TrimToQuotaAsync(Jid owner, long maxBytes, CancellationToken cancellationToken = default);

    Task<ArchivePreferences> GetPreferencesAsync(Jid owner, CancellationToken cancellationToken = default);

    Task SetPreferencesAsync(Jid owner, ArchivePreferences preferences, CancellationToken cancellationToken = default);
}
