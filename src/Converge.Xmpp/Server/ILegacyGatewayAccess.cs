using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Routes;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Server;

/// <summary>How the host connects the interworking function to the server: both directions of the one routing step.</summary>
public interface ILegacyGatewayAccess
{
    /// <summary>Messages the router hands to SMS or email (the handler of route/legacy).</summary>
    ILegacyGateway? Gateway { get; set; }

    /// <summary>
    /// Routes a message that came in by SMS or email. Its 'from' must be a legacy address of the
    /// channel in our domain (+E164 or an alphanumeric sender for SMS, an escaped mail address for
    /// email); anything else is refused (false) and logged.
    /// </summary>
    ValueTask<bool> InjectAsync(LegacyChannel channel, XmlElement message, CancellationToken cancellationToken);

    /// <summary>Messages sent to each legacy channel since start.</summary>
    (long Sms, long Email) Counts { get; }
}

internal sealed class LegacyAccess(LegacyRoute route, LegacyDoor door, InterworkingCounters counters) : ILegacyGatewayAccess
{
    public ILegacyGateway? Gateway
    {
        get => route.Gateway;
        set => route.Gateway = value;
    }

    public (long Sms, long Email) Counts => (counters.Sms, counters.Email);

    public ValueTask<bool> InjectAsync(LegacyChannel channel, XmlElement message, CancellationToken cancellationToken) =>
        door.InjectAsync(channel, message, cancellationToken);
}
