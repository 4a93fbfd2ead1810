using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>An archive row as queued for a writer (either provider): its id and stamp in their stored form, with the message they belong to.</summary>
internal readonly record struct ArchiveRow(long Id, long Stamp, ArchivedMessage Message)
{
    /// <summary>The row of <paramref name="entry"/> under the id its store has just handed out.</summary>
    public static ArchiveRow For(long id, ArchiveEntry entry) =>
        new(id, entry.Timestamp.ToUnixTimeMilliseconds(), new ArchivedMessage(
            ArchiveId.Format(id), entry.Owner, entry.With, entry.Timestamp, entry.Outgoing, entry.Thread, entry.StanzaXml)
        {
            OriginKey = entry.OriginKey,
        });
}
