using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Services;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// XEP-0045 Multi-User Chat on <c>conference.&lt;domain&gt;</c>: the service answers what is addressed
/// to its domain (disco, the room directory) and hands everything for a room to that room's actor.
/// Rooms are found without a lock (a concurrent table); each room runs alone in its actor.
/// </summary>
internal sealed partial class GroupChatService : ILocalService
{
    private readonly ConcurrentDictionary<string, RoomActor> _rooms = new(StringComparer.Ordinal);
    private readonly StanzaRouter _router;
    private readonly GroupChatSettings _settings;
    private readonly string _serverDomain;
    private readonly ILogger _logger;

    public GroupChatService(string domain, string serverDomain, GroupChatSettings settings, IRoomStore store, RoomArchive archive, StanzaRouter router, ILogger logger)
    {
        Domain = domain;
        _serverDomain = serverDomain;
        _settings = settings;
        Store = store;
        Archive = archive;
        _router = router;
        _logger = logger;
    }

    public string Domain { get; }

    public string Name => "Group chat";

    public IRoomStore Store { get; }

    public RoomArchive Archive { get; }

    /// <summary>Cancelled when the server stops: the rooms' loops end.</summary>
    public CancellationToken ShutdownToken { get; set; }

    public int RoomCount => _rooms.Count;

    /// <summary>Restores the persistent rooms (configuration, subject, affiliations) at start-up.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var stored in await Store.LoadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.Room.Domain == Domain && stored.Room.Local is { } local)
            {
                _rooms[local] = new RoomActor(this, host => new Room(stored, host, _settings), _settings.MaxQueuedPerRoom, _logger);
            }
        }

        LogRoomsLoaded(_logger, _rooms.Count, Domain);
    }

    /// <summary>
    /// The server is stopping gracefully: every room tells its occupants (status 332) before their
    /// streams close, so clients know the room did not throw them out and may join again after the
    /// restart. Rooms are told in parallel; a room that does not finish in time is left behind.
    /// </summary>
    public async Task ShutDownAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        var rooms = _rooms.Values.Where(a => a.Room.OccupantCount > 0).ToList();
        try
        {
            await Task.WhenAll(rooms.Select(a => a.ShutDownAsync(limit.Token))).ConfigureAwait(false);
            LogOccupantsToldOfShutdown(_logger, rooms.Count, Domain);
        }
        catch (OperationCanceledException)
        {
            LogShutdownNoticeLate(_logger, rooms.Count, timeout.TotalSeconds);
        }
    }

    public async ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        await DispatchAsync(routed.Stanza, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Hands a stanza to its room (creating the room for a join), or answers for the service itself.</summary>
    public async ValueTask DispatchAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        if (stanza.From is null)
        {
            return;
        }

        var to = stanza.To!;
        if (to.Local is null)
        {
            await ServiceStanzaAsync(stanza, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_rooms.TryGetValue(to.Local, out var actor))
        {
            if (stanza.Kind != StanzaKind.Presence || stanza.Type is not null)
            {
                // §7.2: nothing of a room that does not exist (a leave, a message) is news to anyone.
                if (stanza.Kind != StanzaKind.Presence)
                {
                    await RefuseAsync(stanza, "item-not-found", "No such room.", cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (_settings.RoomCreation == RoomCreation.LocalUsers && stanza.From.Domain != _serverDomain)
            {
                await RefuseAsync(stanza, "not-allowed", $"Only users of {_serverDomain} create rooms here.", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (_rooms.Count >= _settings.MaxRooms)
            {
                await RefuseAsync(stanza, "resource-constraint", "The service holds as many rooms as it may.", cancellationToken).ConfigureAwait(false);
                return;
            }

            var room = to.Bare;
            actor = _rooms.GetOrAdd(to.Local, _ => new RoomActor(this, host => new Room(room, host, _settings), _settings.MaxQueuedPerRoom, _logger));
        }

        if (!actor.TryEnqueue(stanza))
        {
            if (actor.Room.IsDestroyed)
            {
                // The room went between the lookup and the enqueue: decide afresh (a join creates a new one).
                Remove(actor);
                await DispatchAsync(stanza, cancellationToken).ConfigureAwait(false);
                return;
            }

            LogRoomBusy(_logger, to.Bare.ToString());
            await RefuseAsync(stanza, "resource-constraint", "The room is busy; try again.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Routes what a room sends (from its address), like any stanza the server makes.</summary>
    public ValueTask SendAsync(XmlElement element)
    {
        if (!Stanza.TryGetKind(element, out var kind) || !Jid.TryParse(element.GetAttribute("to"), out var to))
        {
            return ValueTask.CompletedTask;
        }

        Jid.TryParse(element.GetAttribute("from"), out var from);
        return _router.RouteAsync(new Stanza(element, kind, from, to), CancellationToken.None);
    }

    public async Task ForgetAsync(Jid room, bool keepArchive)
    {
        await Store.DeleteAsync(room).ConfigureAwait(false);
        if (!keepArchive)
        {
            await Archive.DeleteAsync(room).ConfigureAwait(false);
        }
    }

    public void Remove(RoomActor actor)
    {
        if (actor.Room.Jid.Local is { } local)
        {
            _rooms.TryRemove(new KeyValuePair<string, RoomActor>(local, actor));
        }
    }

    private ValueTask RefuseAsync(Stanza stanza, string condition, string text, CancellationToken cancellationToken) =>
        stanza.Type == "error" ? ValueTask.CompletedTask : SendAsync(MucError.ReplyTo(stanza.Element, condition, text));

    /// <summary>The service's own address: disco#info (XEP-0045 §6.1), disco#items as the room directory (§6.3), ping.</summary>
    private ValueTask ServiceStanzaAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        if (stanza.Kind != StanzaKind.Iq || stanza.Type is not ("get" or "set"))
        {
            return stanza.Kind == StanzaKind.Message
                ? RefuseAsync(stanza, "service-unavailable", "The service itself takes no messages.", cancellationToken)
                : ValueTask.CompletedTask;
        }

        var payload = stanza.Element.FirstElement();
        XmlElement? answer = (stanza.Type, payload?.Namespace) switch
        {
            ("get", Namespaces.DiscoInfo) => ServiceInfo(),
            ("get", Namespaces.DiscoItems) => RoomDirectory(),
            ("get", Namespaces.Ping) => null,
            _ => new XmlElement("unsupported", ""),
        };
        if (answer is { Name: "unsupported" })
        {
            return RefuseAsync(stanza, "service-unavailable", "The service does not answer that.", cancellationToken);
        }

        var reply = new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "result")
            .SetAttribute("id", stanza.Id)
            .SetAttribute("from", Domain)
            .SetAttribute("to", stanza.From!.ToString());
        if (answer is not null)
        {
            reply.Add(answer);
        }

        return SendAsync(reply);
    }

    private XmlElement ServiceInfo()
    {
        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "conference").SetAttribute("type", "text").SetAttribute("name", Name);
        foreach (var feature in new[] { MucNamespaces.Muc, MucNamespaces.StableId, MucNamespaces.SelfPing, MucNamespaces.OccupantId, Namespaces.DiscoInfo, Namespaces.DiscoItems, Namespaces.Ping })
        {
            query.AddElement("feature").SetAttribute("var", feature);
        }

        return query;
    }

    /// <summary>Public rooms that are open for entry; hidden and locked ones stay unlisted (§6.3).</summary>
    private XmlElement RoomDirectory()
    {
        var query = new XmlElement("query", Namespaces.DiscoItems);
        foreach (var actor in _rooms.Values.Take(1000))
        {
            var room = actor.Room;
            var configuration = room.Configuration; // read without the actor: a snapshot is good enough for a listing
            if (configuration.Public && !room.Locked && !room.AwaitingCreator && !room.IsDestroyed)
            {
                query.AddElement("item").SetAttribute("jid", room.Jid.ToString())
                    .SetAttribute("name", configuration.Name.Length > 0 ? configuration.Name : room.Jid.Local);
            }
        }

        return query;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Group chat: {Count} persistent rooms restored on {Domain}")]
    private static partial void LogRoomsLoaded(ILogger logger, int count, string domain);

    [LoggerMessage(EventId = 5250, Level = LogLevel.Information, Message = "Group chat: the occupants of {Count} rooms on {Domain} were told the service is shutting down (332)")]
    private static partial void LogOccupantsToldOfShutdown(ILogger logger, int count, string domain);

    [LoggerMessage(EventId = 5251, Level = LogLevel.Warning, Message = "Group chat: not every one of {Count} rooms told its occupants of the shutdown within {Seconds} s; the rest see their streams end")]
    private static partial void LogShutdownNoticeLate(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Room {Room} refused a stanza: its queue is full")]
    private static partial void LogRoomBusy(ILogger logger, string room);
}
