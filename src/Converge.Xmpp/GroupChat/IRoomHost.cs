using Converge.Core.Storage;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// What a room needs from outside itself: sending, storage and its archive. The room's actor
/// implements it; unit tests record what a room does through a fake.
/// </summary>
internal interface IRoomHost
{
    /// <summary>Queues a stanza (addressed, from the room) to be routed once the room's current step is done.</summary>
    void Send(XmlElement stanza);

    /// <summary>Stores a persistent room's state.</summary>
    Task SaveAsync(StoredRoom room);

    /// <summary>Removes a room from storage, with its archive (destroyed, or no longer persistent when <paramref name="keepArchive"/>).</summary>
    Task ForgetAsync(Room room, bool keepArchive);

    /// <summary>Archives a room message (XEP-0313 on the room JID) and returns its stanza-id.</summary>
    Task<string> ArchiveAsync(Room room, XmlElement message);

    /// <summary>Answers a XEP-0313 query to the room (the results and the final IQ go out through <see cref="Send"/>).</summary>
    Task QueryArchiveAsync(Room room, Stanza query);

    /// <summary>The room is gone; the service forgets it.</summary>
    void Destroyed(Room room);
}
