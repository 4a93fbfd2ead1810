using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Services;

namespace Converge.Xmpp.Components;

/// <summary>
/// A configured component's domain as one of our services: every stanza routed to the domain, or to
/// an address at it, goes down the component's stream once the policy handlers have passed it. While
/// no component is connected there is nobody to take it (<c>service-unavailable</c>).
/// </summary>
internal sealed class ComponentRoute(ComponentSettings settings) : ILocalService
{
    private volatile ComponentConnection? _connection;

    public string Domain => settings.Domain;

    public string Name => "Component " + settings.Domain;

    public ComponentSettings Settings => settings;

    public bool IsConnected => _connection is not null;

    /// <summary>Makes <paramref name="connection"/> the component's stream; false when another one holds it (XEP-0114: one stream per domain).</summary>
    public bool TryAttach(ComponentConnection connection) =>
        Interlocked.CompareExchange(ref _connection, connection, null) is null;

    public void Detach(ComponentConnection connection) =>
        Interlocked.CompareExchange(ref _connection, null, connection);

    public ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_connection is { } connection && connection.Enqueue(routed.Stanza.Element));
}
