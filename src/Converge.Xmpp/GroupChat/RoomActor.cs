using System.Threading.Channels;
using Converge.Core.Storage;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// Runs one room: a bounded queue of stanzas and one loop that hands them to the room in order, so
/// a room is never touched by two stanzas at once and rooms never wait for each other (no global
/// lock). What the room sends is routed after each step, by the loop: a stanza that comes back to
/// the same room (a bounce) joins the queue instead of deadlocking it.
/// </summary>
internal sealed partial class RoomActor : IRoomHost
{
    private readonly Channel<RoomWork> _queue;
    private readonly GroupChatService _service;
    private readonly List<XmlElement> _outbox = [];
    private readonly ILogger _logger;

    public RoomActor(GroupChatService service, Func<IRoomHost, Room> create, int capacity, ILogger logger)
    {
        _service = service;
        _logger = logger;
        _queue = Channel.CreateBounded<RoomWork>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Room = create(this);
        _ = Task.Run(RunAsync);
    }

    public Room Room { get; }

    /// <summary>Queues a stanza for the room; false when the room's queue is full or the room is gone.</summary>
    public bool TryEnqueue(Stanza stanza) => _queue.Writer.TryWrite(new RoomWork(stanza, null));

    /// <summary>
    /// The server is stopping: once the stanzas queued before it are handled, the room tells its
    /// occupants (332) and empties. Completes when that presence has been routed, or at once when
    /// the room is already gone.
    /// </summary>
    public async Task ShutDownAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new RoomWork(null, done), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return; // destroyed meanwhile: nobody to tell
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var (stanza, shutDown) in _queue.Reader.ReadAllAsync(_service.ShutdownToken).ConfigureAwait(false))
        {
            if (shutDown is not null)
            {
                Room.ShutDown();
                await FlushAsync().ConfigureAwait(false);
                shutDown.TrySetResult();
                continue;
            }

            if (stanza is null)
            {
                continue;
            }

            if (Room.IsDestroyed)
            {
                // Queued before the room went: the service decides afresh (a join may create a new room).
                await _service.DispatchAsync(stanza, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            try
            {
                await Room.HandleAsync(stanza).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoomFailed(_logger, e, Room.Jid.ToString());
            }

            await FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task FlushAsync()
    {
        for (var i = 0; i < _outbox.Count; i++)
        {
            await _service.SendAsync(_outbox[i]).ConfigureAwait(false);
        }

        _outbox.Clear();
    }

    public void Send(XmlElement stanza) => _outbox.Add(stanza);

    public Task SaveAsync(StoredRoom room) => _service.Store.SaveAsync(room);

    public Task ForgetAsync(Room room, bool keepArchive) => _service.ForgetAsync(room.Jid, keepArchive);

    public Task<string> ArchiveAsync(Room room, XmlElement message) => _service.Archive.AppendAsync(room.Jid, message);

    public Task QueryArchiveAsync(Room room, Stanza query) => _service.Archive.QueryAsync(room.Jid, query, Send);

    public void Destroyed(Room room)
    {
        _queue.Writer.TryComplete();
        _service.Remove(this);
        LogRoomDestroyed(_logger, room.Jid.ToString());
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Room {Room} failed to handle a stanza")]
    private static partial void LogRoomFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Room {Room} destroyed")]
    private static partial void LogRoomDestroyed(ILogger logger, string room);
}
