using Converge.Core.Storage;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Push;

/// <summary>
/// The pubsub publish a user's server sends to the app server (XEP-0357 §7): one item with a
/// <c>urn:xmpp:push:summary</c> form, and the client's publish-options (its secret) as given.
/// </summary>
internal static class PushNotification
{
    public static XmlElement Build(string id, string owner, PushRegistrationRow registration, int messageCount, string? lastSender, string? lastBody, XmlLimits limits)
    {
        var iq = new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "set")
            .SetAttribute("id", id)
            .SetAttribute("from", owner)
            .SetAttribute("to", registration.Service);
        var pubsub = iq.AddElement("pubsub", PushNamespaces.PubSub);
        var form = pubsub.AddElement("publish").SetAttribute("node", registration.Node)
            .AddElement("item")
            .AddElement("notification", PushNamespaces.Push)
            .AddElement("x", Namespaces.DataForms).SetAttribute("type", "form");
        Field(form, "FORM_TYPE", PushNamespaces.Summary).SetAttribute("type", "hidden");
        Field(form, "message-count", messageCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (lastSender is not null)
        {
            Field(form, "last-message-sender", lastSender);
        }

        if (lastBody is not null)
        {
            Field(form, "last-message-body", lastBody);
        }

        if (registration.PublishOptions.Length > 0 && XmlFragment.Parse(registration.PublishOptions, limits) is { } options)
        {
            pubsub.AddElement("publish-options").Add(options);
        }

        return iq;
    }

    private static XmlElement Field(XmlElement form, string name, string value)
    {
        var field = form.AddElement("field").SetAttribute("var", name);
        field.AddElement("value").AddText(value);
        return field;
    }
}
