using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// One item of a room's queue: a stanza for the room, or the server's shutdown notice (completed
/// once the room has told its occupants), so that the shutdown runs in order on the room's own loop.
/// </summary>
internal readonly record struct RoomWork(Stanza? Stanza, TaskCompletionSource? ShutDown);
