using Converge.Core.Addressing;
using Converge.Core.GroupChat;

namespace Converge.Core.Storage;

/// <summary>
/// A persistent group-chat room as stored: what must survive a restart (XEP-0045 persistent rooms).
/// Occupants are not stored: clients join again.
/// </summary>
/// <param name="Room">The room's bare JID (room@conference.example).</param>
/// <param name="Salt">A random per-room secret from which XEP-0421 occupant ids are derived, so they stay stable across restarts.</param>
/// <param name="Affiliations">Every non-'none' affiliation, by the user's bare JID.</param>
public sealed record StoredRoom(
    Jid Room,
    RoomConfiguration Configuration,
    string? Subject,
    string? SubjectBy,
    string Salt,
    IReadOnlyDictionary<Jid, MucAffiliation> Affiliations);

/// <summary>Persistent group-chat rooms: configuration, subject and affiliations.</summary>
public interface IRoomStore
{
    /// <summary>Every stored room, read once at start-up.</summary>
    Task<IReadOnlyList<StoredRoom>> LoadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a room with its affiliations, in one commit.</summary>
    Task SaveAsync(StoredRoom room, CancellationToken cancellationToken = default);

    /// <summary>Removes a room and its affiliations (destroyed, or no longer persistent).</summary>
    Task DeleteAsync(Jid room, CancellationToken cancellationToken = default);
}
