using Converge.Xmpp.Routing.Delivery;
using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Routing.Services;

/// <summary>
/// A service that only answers IQs, through payload handlers registered in the <see cref="IqHandlerTable"/>
/// under its <see cref="IqTarget"/> (the user directory). Messages and presence to it get the router's
/// default answer.
/// </summary>
internal sealed class IqPayloadService(string domain, string name, IqTarget target, IqDispatch dispatch) : ILocalService
{
    public string Domain { get; } = domain;

    public string Name { get; } = name;

    public ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken) =>
        routed.Stanza.Kind == StanzaKind.Iq && routed.To?.Local is null
            ? dispatch.HandleAsync(routed, target, cancellationToken)
            : ValueTask.FromResult(false);
}
