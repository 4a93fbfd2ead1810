using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Streams;

/// <summary>Builds stanza errors (RFC 6120 §8.3) with the condition's customary error type.</summary>
public static class StanzaError
{
    /// <summary>The default 'type' of each defined condition (RFC 6120 §8.3.3).</summary>
    public static string TypeOf(string condition) => condition switch
    {
        "bad-request" or "jid-malformed" or "not-acceptable" or "policy-violation" or "unexpected-request" => "modify",
        "conflict" or "feature-not-implemented" or "item-not-found" or "not-allowed" or "service-unavailable" => "cancel",
        "forbidden" or "not-authorized" or "registration-required" or "subscription-required" => "auth",
        "internal-server-error" or "remote-server-not-found" or "remote-server-timeout" or "recipient-unavailable"
            or "resource-constraint" => "wait",
        "redirect" or "gone" => "modify",
        _ => "cancel",
    };

    /// <summary>
    /// The error reply to <paramref name="original"/>: addresses swapped, type='error', the original
    /// payload kept for IQs (RFC 6120 §8.3.1 allows it; it helps clients correlate) and dropped otherwise.
    /// </summary>
    /// <param name="type">The error type where it is not the condition's customary one; null: <see cref="TypeOf"/>.</param>
    public static XmlElement ReplyTo(XmlElement original, string condition, string? text = null, XmlElement? appCondition = null, string? type = null)
    {
        var reply = new XmlElement(original.Name, original.Namespace);
        var id = original.GetAttribute("id");
        if (id is not null)
        {
            reply.SetAttribute("id", id);
        }

        reply.SetAttribute("type", "error");
        var from = original.GetAttribute("from");
        var to = original.GetAttribute("to");
        if (from is not null)
        {
            reply.SetAttribute("to", from);
        }

        if (to is not null)
        {
            reply.SetAttribute("from", to);
        }

        if (original.Name == "iq")
        {
            var payload = original.FirstElement();
            if (payload is not null)
            {
                reply.Add(payload.Clone());
            }
        }
        else if (original.Name == "message")
        {
            var thread = original.Element("thread", original.Namespace);
            if (thread is not null)
            {
                reply.Add(thread.Clone());
            }
        }

        reply.Add(Build(condition, text, appCondition, original.Namespace, type));
        return reply;
    }

    public static XmlElement Build(string condition, string? text, XmlElement? appCondition, string ns, string? type = null)
    {
        var error = new XmlElement("error", ns).SetAttribute("type", type ?? TypeOf(condition));
        error.AddElement(condition, Namespaces.Stanzas);
        if (!string.IsNullOrEmpty(text))
        {
            error.AddElement("text", Namespaces.Stanzas).SetAttribute("xml:lang", "en").AddText(text);
        }

        if (appCondition is not null)
        {
            error.Add(appCondition);
        }

        return error;
    }
}
