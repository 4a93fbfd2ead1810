using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Routing;

/// <summary>
/// Where stanzas for other domains go (the interconnection, later the IWF). The router calls it for
/// every stanza whose 'to' domain is not ours; without one, the sender gets remote-server-not-found.
/// </summary>
internal interface IRemoteRoute
{
    /// <returns>false when the domain cannot be reached at all (the router bounces the stanza).</returns>
    ValueTask<bool> SendAsync(Stanza stanza, CancellationToken cancellationToken);
}
