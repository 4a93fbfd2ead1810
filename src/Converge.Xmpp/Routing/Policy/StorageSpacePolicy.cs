using Converge.Core.Storage;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// Disk full (issue 15, item 4): while the store has no room (<see cref="StorageSpace"/>), a message
/// that would be stored - it has a body or asks to be stored (XEP-0334) - from a client or a peer is
/// refused with resource-constraint (type wait) before it is delivered, so nothing is taken that could
/// not be archived or kept offline, and the sender's session goes on (the error answers the stanza,
/// so the client's stream-management count moves past it). Everything else - presence, roster and
/// archive reads, chat states - goes on. The store says when space returns; nothing here waits.
/// </summary>
internal sealed partial class StorageSpacePolicy
{
    private static readonly string[] MessageEvents =
    [
        RoutingEventNames.MessageBare, RoutingEventNames.MessageFull, RoutingEventNames.MessageHost, RoutingEventNames.MessageService,
        RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy,
    ];

    private readonly StorageSpace _space;
    private readonly StanzaRouter _router;
    private readonly ILogger _logger;
    private long _refused;

    public StorageSpacePolicy(StorageSpace space, StanzaRouter router, ILogger logger)
    {
        _space = space;
        _router = router;
        _logger = logger;
        space.Changed += (full, reason) =>
        {
            if (full)
            {
                LogFull(logger, reason ?? "no room");
            }
            else
            {
                LogRoom(logger, Interlocked.Read(ref _refused));
            }
        };
    }

    /// <summary>Messages refused for want of space since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void Hook(RoutingEvents events) =>
        events.Hook(MessageEvents, RoutePriority.StorageSpace, "storage: no new messages while the disk is full", RefuseWhileFullAsync);

    private async ValueTask<bool> RefuseWhileFullAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (!_space.IsFull || stanza.Kind != StanzaKind.Message || stanza.Type == "error"
            || routed.Origin is not (StanzaOrigin.Client or StanzaOrigin.Peer)
            || (stanza.Element.Element("body", Namespaces.Client) is null && stanza.Element.Element("store", Namespaces.Hints) is null))
        {
            return false;
        }

        if (Interlocked.Increment(ref _refused) % 1000 == 1)
        {
            LogRefused(_logger, stanza.From?.Bare.ToString() ?? "?", _space.Reason ?? "no room");
        }

        await _router.RefuseAsync(routed, "resource-constraint", "The server's storage is full; the message was not accepted. Send it again later.", cancellationToken, type: "wait")
            .ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Error, Message = "Storage full ({Reason}): new messages are refused with resource-constraint until there is room")]
    private static partial void LogFull(ILogger logger, string reason);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Storage has room again: messages are taken again ({Refused} refused since start)")]
    private static partial void LogRoom(ILogger logger, long refused);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Message from {Sender} refused, storage full ({Reason}); one line per 1000 refusals")]
    private static partial void LogRefused(ILogger logger, string sender, string reason);
}
