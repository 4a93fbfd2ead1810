using Converge.Core.Addressing;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Server;

/// <summary>How the host connects the interworking function to the server: both directions of the one routing step.</summary>
public interface ILegacyGatewayAccess
{
    /// <summary>Messages the router hands to SMS or email.</summary>
    ILegacyGateway? Gateway { get; set; }

    /// <summary>Routes a message that came in by SMS or email (from +E164@domain or an escaped email JID).</summary>
    ValueTask InjectAsync(XmlElement message, CancellationToken cancellationToken);

    /// <summary>Messages sent to each legacy channel since start.</summary>
    (long Sms, long Email) Counts { get; }
}

internal sealed class LegacyAccess(ServerContext server) : ILegacyGatewayAccess
{
    public ILegacyGateway? Gateway
    {
        get => server.Router.Legacy;
        set => server.Router.Legacy = value;
    }

    public (long Sms, long Email) Counts => (server.Interworked.Sms, server.Interworked.Email);

    public ValueTask InjectAsync(XmlElement message, CancellationToken cancellationToken)
    {
        if (message.Namespace != Namespaces.Client || !Stanza.TryGetKind(message, out var kind)
            || !Jid.TryParse(message.GetAttribute("from"), out var from) || !Jid.TryParse(message.GetAttribute("to"), out var to))
        {
            throw new ArgumentException("An injected stanza needs jabber:client, 'from' and 'to'.", nameof(message));
        }

        return server.Router.FromLegacyAsync(new Stanza(message, kind, from, to), cancellationToken);
    }
}
