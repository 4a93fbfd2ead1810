using Converge.Xmpp.Server;
using Converge.Xmpp.Xml;

namespace Converge.Configuration;

/// <summary>The <c>Limits</c> section: the protocol limits classes, bound property by property.</summary>
internal sealed class LimitsOptions
{
    public XmlLimits Xml { get; set; } = new();

    public ClientLimits Client { get; set; } = new();

    public Xmpp.Federation.ServerLimits Server { get; set; } = new();

    public Interworking.Email.SmtpLimits Smtp { get; set; } = new();
    public Converge.Xmpp.Pep.PepLimits Pep { get; set; } = new();
}
