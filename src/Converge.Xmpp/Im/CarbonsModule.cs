using Converge.Core.Addressing;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>
/// XEP-0280 message carbons: every resource of an account that asked for it sees the account's
/// conversations - what the others sent and what they received - so a phone and a PC stay in step.
/// </summary>
internal sealed class CarbonsModule(SessionRegistry sessions)
{
    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "enable", Namespaces.Carbons, ToggleAsync, Namespaces.Carbons);
        iq.Register(IqTarget.Account, "disable", Namespaces.Carbons, ToggleAsync, Namespaces.Carbons);
        iq.AddFeature(IqTarget.Server, Namespaces.Carbons);
    }

    private static ValueTask ToggleAsync(IqContext context)
    {
        if (!context.IsSet || !context.IsOwnAccount || context.Origin is null)
        {
            return context.ErrorAsync(context.IsSet ? "forbidden" : "bad-request");
        }

        context.Origin.CarbonsEnabled = context.Payload.Name == "enable";
        return context.ResultAsync();
    }

    /// <summary>XEP-0280 §6: chat messages, and normal messages with a body, unless marked private or no-copy.</summary>
    public static bool IsEligible(XmlElement message)
    {
        var type = message.GetAttribute("type") ?? "normal";
        if (type is not ("chat" or "normal"))
        {
            return false;
        }

        if (message.Element("private", Namespaces.Carbons) is not null || message.Element("no-copy", Namespaces.Hints) is not null)
        {
            return false;
        }

        return type == "chat" || message.Element("body", Namespaces.Client) is not null;
    }

    /// <summary>A resource sent a message: its siblings get a &lt;sent/&gt; copy.</summary>
    public void CopySent(ClientSession origin, XmlElement message)
    {
        CopyTo(origin.BareJid, message, "sent", except: origin);
    }

    /// <summary>The account received a message: resources that did not get it directly get a &lt;received/&gt; copy.</summary>
    public void CopyReceived(Jid owner, XmlElement message, IReadOnlyCollection<ClientSession> deliveredTo)
    {
        CopyTo(owner, message, "received", except: null, deliveredTo);
    }

    private void CopyTo(Jid owner, XmlElement message, string direction, ClientSession? except, IReadOnlyCollection<ClientSession>? deliveredTo = null)
    {
        if (!IsEligible(message))
        {
            return;
        }

        XmlElement? copy = null;
        foreach (var session in sessions.SessionsOf(owner))
        {
            if (!session.CarbonsEnabled || ReferenceEquals(session, except) || (deliveredTo?.Contains(session) ?? false))
            {
                continue;
            }

            copy ??= Wrap(owner, message, direction);
            var addressed = copy.Clone().SetAttribute("to", session.FullJid.ToString());
            session.Send(addressed);
        }
    }

    private static XmlElement Wrap(Jid owner, XmlElement message, string direction)
    {
        var wrapper = new XmlElement("message", Namespaces.Client)
            .SetAttribute("from", owner.ToString())
            .SetAttribute("type", message.GetAttribute("type") ?? "normal");
        wrapper.AddElement(direction, Namespaces.Carbons)
            .AddElement("forwarded", Namespaces.Forward)
            .Add(message.Clone());
        return wrapper;
    }
}
