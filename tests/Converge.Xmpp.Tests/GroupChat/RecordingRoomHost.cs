using Converge.Core.Storage;
using Converge.Xmpp.GroupChat;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.GroupChat;

/// <summary>Stands in for a room's actor: records what the room sends and stores, nothing is routed.</summary>
internal sealed class RecordingRoomHost : IRoomHost
{
    private int _archived;

    public List<XmlElement> Sent { get; } = [];

    public List<StoredRoom> Saved { get; } = [];

    public bool Forgotten { get; private set; }

    public bool WasDestroyed { get; private set; }

    public void Send(XmlElement stanza) => Sent.Add(stanza);

    public Task SaveAsync(StoredRoom room)
    {
        Saved.Add(room);
        return Task.CompletedTask;
    }

    public Task ForgetAsync(Room room, bool keepArchive)
    {
        Forgotten = true;
        return Task.CompletedTask;
    }

    public Task<string> ArchiveAsync(Room room, XmlElement message) => Task.FromResult("archived-" + ++_archived);

    public Task QueryArchiveAsync(Room room, Stanza query) => Task.CompletedTask;

    public void Destroyed(Room room) => WasDestroyed = true;

    /// <summary>What was sent to <paramref name="to"/> since the last <see cref="Clear"/>.</summary>
    public List<XmlElement> To(string to) => [.. Sent.Where(e => e.GetAttribute("to") == to)];

    public void Clear() => Sent.Clear();
}
