using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>XEP-0030 service discovery of the server and of accounts; features come from the IQ table.</summary>
internal sealed class DiscoModule(IqHandlerTable iq, Server.XmppServerOptions options, Routing.Services.LocalServices services)
{
    /// <summary>FORM_TYPE of the contact addresses form (XEP-0157).</summary>
    public const string ServerInfoFormType = "http://jabber.org/network/serverinfo";

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Server, "query", Namespaces.DiscoInfo, ServerInfoAsync);
        iq.Register(IqTarget.Server, "query", Namespaces.DiscoItems, ItemsAsync);
        iq.Register(IqTarget.Account, "query", Namespaces.DiscoInfo, AccountInfoAsync);
        iq.Register(IqTarget.Account, "query", Namespaces.DiscoItems, ItemsAsync);
        iq.AddFeature(IqTarget.Server, Namespaces.OfflineFeature);
    }

    private ValueTask ServerInfoAsync(IqContext context)
    {
        if (context.IsSet)
        {
            return context.ErrorAsync("bad-request");
        }

        if (context.Payload.GetAttribute("node") is not null)
        {
            return context.ErrorAsync("item-not-found");
        }

        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "server").SetAttribute("type", "im").SetAttribute("name", "Converge");
        AddFeatures(query, iq.ServerFeatures);
        if (options.ProviderName is not null || options.ProviderLogoUrl is not null)
        {
            // XEP-0128 extension: the provider's branding; the exposure filter removes it for peers that may not see it.
            var x = query.AddElement("x", Namespaces.DataForms).SetAttribute("type", "result");
            x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(Federation.ExposureFilter.ProviderFormType);
            if (options.ProviderName is { } name)
            {
                x.AddElement("field").SetAttribute("var", "name").AddElement("value").AddText(name);
            }

            if (options.ProviderLogoUrl is { } logo)
            {
                x.AddElement("field").SetAttribute("var", "logo-url").AddElement("value").AddText(logo);
            }
        }

        AddContactAddresses(query);
        return context.ResultAsync(query);
    }

    /// <summary>XEP-0157: whom to write about abuse, security, support ... as a XEP-0128 form.</summary>
    private void AddContactAddresses(XmlElement query)
    {
        if (options.ContactAddresses.Count == 0)
        {
            return;
        }

        var x = query.AddElement("x", Namespaces.DataForms).SetAttribute("type", "result");
        x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(ServerInfoFormType);
        foreach (var (name, addresses) in options.ContactAddresses.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var field = x.AddElement("field").SetAttribute("var", name).SetAttribute("type", "list-multi");
            foreach (var address in addresses)
            {
                field.AddElement("value").AddText(address);
            }
        }
    }

    private ValueTask AccountInfoAsync(IqContext context)
    {
        if (context.IsSet)
        {
            return context.ErrorAsync("bad-request");
        }

        if (context.Payload.GetAttribute("node") is not null)
        {
            return context.ErrorAsync("item-not-found");
        }

        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "account").SetAttribute("type", "registered");
        if (iq.AccountFeatures.Contains(Pep.PepNamespaces.PubSub + "#publish"))
        {
            // XEP-0163 §6: every account is a PEP service.
            query.AddElement("identity").SetAttribute("category", "pubsub").SetAttribute("type", "pep");
        }

        AddFeatures(query, iq.AccountFeatures);
        return context.ResultAsync(query);
    }

    private ValueTask ItemsAsync(IqContext context)
    {
        if (context.IsSet)
        {
            return context.ErrorAsync("bad-request");
        }

        if (context.Payload.GetAttribute("node") is not null)
        {
            return context.ErrorAsync("item-not-found");
        }

        var items = new XmlElement("query", Namespaces.DiscoItems);
        if (context.Stanza.To?.IsDomain == true)
        {
            foreach (var service in services.All)
            {
                items.AddElement("item").SetAttribute("jid", service.Domain).SetAttribute("name", service.Name);
            }
        }

        return context.ResultAsync(items);
    }

    private static void AddFeatures(XmlElement query, IReadOnlyList<string> features)
    {
        var all = new SortedSet<string>(features, StringComparer.Ordinal) { Namespaces.DiscoInfo };
        foreach (var f in all)
        {
            query.AddElement("feature").SetAttribute("var", f);
        }
    }
}
