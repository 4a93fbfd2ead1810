namespace Converge.Xmpp.Routing.Routes;

/// <summary>
/// The route out to other providers: the interconnection's links (federation). The agreement has
/// already been applied; without federation, or when the domain cannot be reached at all, the
/// sender gets remote-server-not-found.
/// </summary>
internal sealed class RemoteRoute(StanzaRouter router)
{
    /// <summary>The server-to-server service, set when a listener for it is configured.</summary>
    public IRemoteRoute? Links { get; set; }

    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.RouteRemote, RoutePriority.Delivery, "federation: to the peer's link", SendAsync);

    private async ValueTask<bool> SendAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (Links is { } links && await links.SendAsync(routed.Stanza, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        await router.RefuseAsync(routed, "remote-server-not-found", $"The domain {routed.Stanza.To!.Domain} cannot be reached from here.", cancellationToken).ConfigureAwait(false);
        return true;
    }
}
