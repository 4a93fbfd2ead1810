using System.Globalization;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.ExternalServices;

/// <summary>
/// XEP-0215 external service discovery on the server's domain: our own users learn the STUN/TURN
/// services for calls (Jingle) and get credentials for the restricted ones. Only local clients ask:
/// credentials are for our users, never for a peer's.
/// </summary>
internal sealed class ExternalServiceDiscovery(ExternalServicesSettings settings, TimeProvider time)
{
    public const string Namespace = "urn:xmpp:extdisco:2";

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Server, "services", Namespace, ServicesAsync);
        iq.Register(IqTarget.Server, "credentials", Namespace, CredentialsAsync);
    }

    private ValueTask ServicesAsync(IqContext context)
    {
        if (Refused(context) is { } refusal)
        {
            return refusal;
        }

        var type = context.Payload.GetAttribute("type");
        var answer = new XmlElement("services", Namespace);
        if (type is not null)
        {
            answer.SetAttribute("type", type);
        }

        foreach (var service in settings.Services.Where(s => type is null || s.Type == type))
        {
            answer.Add(Describe(service, context));
        }

        return context.ResultAsync(answer);
    }

    /// <summary>§3.2: credentials for one restricted service, named by host (and type, port when several share it).</summary>
    private ValueTask CredentialsAsync(IqContext context)
    {
        if (Refused(context) is { } refusal)
        {
            return refusal;
        }

        var asked = context.Payload.Element("service", Namespace);
        var host = asked?.GetAttribute("host");
        var type = asked?.GetAttribute("type");
        var port = asked?.GetAttribute("port");
        var service = settings.Services.FirstOrDefault(s => s.Host == host && (type is null || s.Type == type)
            && (port is null || s.Port?.ToString(CultureInfo.InvariantCulture) == port));
        if (service is null)
        {
            return context.ErrorAsync("item-not-found", "No such service.");
        }

        var answer = new XmlElement("credentials", Namespace);
        answer.Add(Describe(service, context));
        return context.ResultAsync(answer);
    }

    private static ValueTask? Refused(IqContext context)
    {
        if (context.IsSet)
        {
            return context.ErrorAsync("bad-request");
        }

        return context.Origin is null ? context.ErrorAsync("forbidden", "External services are for this server's own users.") : null;
    }

    private XmlElement Describe(ExternalService service, IqContext context)
    {
        var element = new XmlElement("service", Namespace)
            .SetAttribute("host", service.Host)
            .SetAttribute("type", service.Type);
        if (service.Port is { } port)
        {
            element.SetAttribute("port", port.ToString(CultureInfo.InvariantCulture));
        }

        if (service.Transport is { } transport)
        {
            element.SetAttribute("transport", transport);
        }

        if (service.Name is { } name)
        {
            element.SetAttribute("name", name);
        }

        if (service.Secret is { } secret)
        {
            var (username, password, expires) = TurnCredentials.Make(secret, context.Origin!.BareJid.ToString(), time.GetUtcNow(), settings.CredentialLifetime);
            element.SetAttribute("restricted", "1")
                .SetAttribute("username", username)
                .SetAttribute("password", password)
                .SetAttribute("expires", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else if (service.Username is { } user)
        {
            element.SetAttribute("restricted", "1").SetAttribute("username", user).SetAttribute("password", service.Password ?? "");
        }

        return element;
    }
}
