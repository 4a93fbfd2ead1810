namespace Converge.Xmpp.Routing.Services;

/// <summary>
/// Delivery for the service domains: after the policy handlers (block lists, agreements) have let a
/// stanza through, the service it is addressed to handles it.
/// </summary>
internal sealed class ServiceDispatch
{
    public void Hook(RoutingEvents events)
    {
        events.Hook(RoutingEventNames.MessageService, RoutePriority.Delivery, "message: to the addressed service (conference, upload, directory)", HandleAsync);
        events.Hook(RoutingEventNames.PresenceService, RoutePriority.Delivery, "presence: to the addressed service", HandleAsync);
        events.Hook(RoutingEventNames.IqService, RoutePriority.Delivery, "iq: to the addressed service", HandleAsync);
    }

    private static ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken) =>
        routed.Service is { } service ? service.HandleAsync(routed, cancellationToken) : ValueTask.FromResult(false);
}
