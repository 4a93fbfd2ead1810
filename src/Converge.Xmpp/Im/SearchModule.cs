using Converge.Core.Addressing;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>
/// XEP-0055 user directory on search.&lt;domain&gt; (seed 000 step 2): find a local user by name or
/// number. Users of a peer provider reach it only when their agreement includes Search (the router
/// enforces that on what comes in).
/// </summary>
internal sealed class SearchModule(Server.AccountDirectory accounts)
{
    private const int MaxResults = 50;

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Search, "query", StanzaFeature.Search, SearchAsync);
        iq.Register(IqTarget.Search, "query", Namespaces.DiscoInfo, InfoAsync);
    }

    private ValueTask InfoAsync(IqContext context)
    {
        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "directory").SetAttribute("type", "user").SetAttribute("name", "User directory");
        query.AddElement("feature").SetAttribute("var", Namespaces.DiscoInfo);
        query.AddElement("feature").SetAttribute("var", StanzaFeature.Search);
        return context.ResultAsync(query);
    }

    private async ValueTask SearchAsync(IqContext context)
    {
        if (!context.IsSet)
        {
            var form = new XmlElement("query", StanzaFeature.Search);
            form.AddElement("instructions").AddText("Find a user by name (nick) or phone number (+E.164).");
            form.AddElement("nick");
            var x = form.AddElement("x", Namespaces.DataForms).SetAttribute("type", "form");
            x.AddElement("title").AddText("User directory");
            x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(StanzaFeature.Search);
            x.AddElement("field").SetAttribute("var", "nick").SetAttribute("type", "text-single").SetAttribute("label", "Name or number");
            await context.ResultAsync(form).ConfigureAwait(false);
            return;
        }

        var payload = context.Payload;
        var term = payload.ChildText("nick", StanzaFeature.Search)
            ?? payload.ChildText("first", StanzaFeature.Search)
            ?? payload.ChildText("last", StanzaFeature.Search);
        var usesForm = false;
        if (payload.Element("x", Namespaces.DataForms) is { } submitted)
        {
            usesForm = true;
            term = submitted.Elements("field", Namespaces.DataForms)
                .Where(f => f.GetAttribute("var") is "nick" or "user" or "first" or "last")
                .Select(f => f.ChildText("value", Namespaces.DataForms))
                .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        }

        term = term?.Trim();
        if (string.IsNullOrEmpty(term) || term.Length > 256)
        {
            await context.ErrorAsync("not-acceptable", "Give a name or number to search for.").ConfigureAwait(false);
            return;
        }

        var matches = Find(term);
        var result = new XmlElement("query", StanzaFeature.Search);
        if (usesForm)
        {
            var x = result.AddElement("x", Namespaces.DataForms).SetAttribute("type", "result");
            x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(StanzaFeature.Search);
            var reported = x.AddElement("reported");
            reported.AddElement("field").SetAttribute("var", "jid").SetAttribute("type", "jid-single").SetAttribute("label", "Address");
            reported.AddElement("field").SetAttribute("var", "nick").SetAttribute("type", "text-single").SetAttribute("label", "Name");
            foreach (var jid in matches)
            {
                var item = x.AddElement("item");
                item.AddElement("field").SetAttribute("var", "jid").AddElement("value").AddText(jid.ToString());
                item.AddElement("field").SetAttribute("var", "nick").AddElement("value").AddText(jid.Local ?? "");
            }
        }
        else
        {
            foreach (var jid in matches)
            {
                var item = result.AddElement("item").SetAttribute("jid", jid.ToString());
                item.AddElement("nick").AddText(jid.Local ?? "");
            }
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    private List<Jid> Find(string term)
    {
        if (E164.TryNormalize(term, out var number) && number is not null)
        {
            return accounts.FindByMsisdn(number) is { } account ? [account.Jid] : [];
        }

        var needle = term.ToLowerInvariant();
        return [.. accounts.All()
            .Where(a => a.Jid.Local!.Contains(needle, StringComparison.Ordinal))
            .Select(a => a.Jid)
            .OrderBy(j => j.Local, StringComparer.Ordinal)
            .Take(MaxResults)];
    }
}
