using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>A message kept for a user who was offline (XEP-0160), as serialized stanza XML.</summary>
public sealed record OfflineMessage(long Id, Jid Owner, DateTimeOffset Stored, string StanzaXml);

public interface IOfflineStore
{
    /// <summary>Stores durably before returning; returns the new message id.</summary>
    Task<long> StoreAsync(Jid owner, DateTimeOffset stored, string stanzaXml, CancellationToken cancellationToken = default);

    /// <summary>Messages in the order stored.</summary>
    Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(Jid owner, int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes the messages once they were handed to a session.</summary>
    Task RemoveAsync(Jid owner, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    Task<int> CountAsync(Jid owner, CancellationToken cancellationToken = default);
}
