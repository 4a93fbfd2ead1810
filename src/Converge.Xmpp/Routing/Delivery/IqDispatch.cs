using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Server;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Delivery;

/// <summary>
/// IQs for the server, an account or a service go to the handler of their payload (the
/// <c>iq-get/bare/ns:name</c> events of <see cref="IqHandlerTable"/>); IQs for a resource go to that
/// session. Results and errors addressed to the server answer its own requests and end here.
/// </summary>
internal sealed partial class IqDispatch(IqHandlerTable table, SessionRegistry sessions, StanzaRouter router, ILogger logger)
{
    public void Hook(RoutingEvents events)
    {
        events.Hook(RoutingEventNames.IqBare, RoutePriority.Delivery, "iq: payload handlers for accounts", (s, ct) => HandleAsync(s, IqTarget.Account, ct));
        events.Hook(RoutingEventNames.IqHost, RoutePriority.Delivery, "iq: payload handlers for the server", (s, ct) => HandleAsync(s, IqTarget.Server, ct));
        events.Hook(RoutingEventNames.IqFull, RoutePriority.Delivery, "iq: to the addressed session", ToSessionAsync);
    }

    /// <summary>Answers an IQ from the payload handlers registered for <paramref name="target"/>.</summary>
    public async ValueTask<bool> HandleAsync(RoutedStanza routed, IqTarget target, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if ((target == IqTarget.Account && routed.Recipient is null) || (target == IqTarget.Server && stanza.To?.Resource is not null))
        {
            return false;
        }

        if (stanza.Type is "result" or "error")
        {
            // Answers to the server's own requests (roster pushes, idle pings): the read loop has
            // already noted that the client is alive; nothing else waits for them.
            return true;
        }

        var origin = routed.Session ?? sessions.Find(stanza.From!);
        var payload = stanza.Element.FirstElement();
        if (stanza.Type is not ("get" or "set") || payload is null || CountElements(stanza) != 1)
        {
            // RFC 6120 §8.2.3: get/set carry exactly one payload.
            await router.BounceAsync(stanza, "bad-request", "An IQ get or set carries exactly one payload element.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var context = new IqContext(router, stanza, origin, routed.AddressedAs);
        if (table.Find(target, payload.Name, payload.Namespace) is not { } handler)
        {
            await context.ErrorAsync("service-unavailable").ConfigureAwait(false);
            return true;
        }

        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, payload.Namespace, e);
            await context.ErrorAsync("internal-server-error").ConfigureAwait(false);
        }

        return true;
    }

    private async ValueTask<bool> ToSessionAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Recipient is null)
        {
            return false;
        }

        var stanza = routed.Stanza;
        if (sessions.Find(stanza.To!) is not { } session || !session.Send(stanza.Element))
        {
            await router.BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static int CountElements(Stanza stanza)
    {
        var n = 0;
        foreach (var child in stanza.Element.Children)
        {
            if (child is Xml.XmlElement)
            {
                n++;
            }
        }

        return n;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "The handler for IQ payload {Namespace} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string @namespace, Exception exception);
}
