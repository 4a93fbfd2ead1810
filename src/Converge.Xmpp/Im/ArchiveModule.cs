using System.Collections.Concurrent;
using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>
/// The server-side message archive (XEP-0313, urn:xmpp:mam:2) with XEP-0059 paging, XEP-0359 stanza
/// ids, archiving preferences, and a thread filter (<c>{urn:converge:mam}thread</c>) that gives a
/// client one conversation for a threaded view. Everything a user sends or receives is archived
/// whatever carried it, because every message passes the router's archive step.
/// </summary>
internal sealed class ArchiveModule(IArchiveStore store, IRosterStore rosters, Server.AccountDirectory accounts, XmlLimits xmlLimits, ArchiveQuota? quota = null)
{
    public const string ThreadField = "{urn:converge:mam}thread";
    public const string DeleteNamespace = "urn:converge:mam:delete";
    private const int MaxPage = 250;
    private const int DefaultPage = 50;

    private readonly ConcurrentDictionary<Jid, ArchivePreferences> _preferences = new();

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "query", Namespaces.Mam, QueryAsync, Namespaces.Mam);
        iq.Register(IqTarget.Account, "prefs", Namespaces.Mam, PreferencesAsync, Namespaces.Mam);
        iq.Register(IqTarget.Account, "delete", DeleteNamespace, DeleteAsync, DeleteNamespace);
        iq.AddFeature(IqTarget.Account, Namespaces.Mam + "#extended");
        iq.AddFeature(IqTarget.Account, Namespaces.StanzaId);
    }

    /// <summary>Messages worth keeping: with a body (or explicitly marked to store), not errors or groupchat.</summary>
    public static bool IsArchivable(XmlElement message)
    {
        var type = message.GetAttribute("type") ?? "normal";
        if (type is "error" or "groupchat" or "headline")
        {
            return false;
        }

        if (message.Element("no-store", Namespaces.Hints) is not null || message.Element("no-permanent-store", Namespaces.Hints) is not null)
        {
            return false;
        }

        return message.Element("body", Namespaces.Client) is not null || message.Element("store", Namespaces.Hints) is not null;
    }

    /// <summary>
    /// Queues the archive write of a message a local user sent and returns it without waiting for its
    /// commit (null when the message is not archived). Queued before delivery, the sender's copy gets
    /// the lower id; its acknowledgement waits for the write.
    /// </summary>
    public async ValueTask<Task?> QueueOutgoingAsync(Jid owner, Jid with, XmlElement message, RoutedStanza? routed, CancellationToken cancellationToken)
    {
        if (!IsArchivable(message) || !await WantsAsync(owner.Bare, with.Bare, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        quota?.Written(owner.Bare);
        return store.Stage(Entry(owner.Bare, with.Bare, outgoing: true, message, routed)).Stored;
    }

    /// <summary>
    /// Stamps a message for a local recipient with the XEP-0359 stanza-id its archived copy will have
    /// (removing any stanza-id claiming to be ours that the sender may have forged) and queues the row
    /// for the next grouped commit. Returns the write without waiting: the message is delivered now, and
    /// whoever acknowledges it waits for the write (null when the message is not archived).
    /// </summary>
    public async ValueTask<Task?> StageIncomingAsync(Jid owner, Jid with, XmlElement message, RoutedStanza? routed, CancellationToken cancellationToken)
    {
        var by = owner.Bare.ToString();
        var forged = HasStanzaId(message) ? message.RemoveAll(n => n is XmlElement { Name: "stanza-id", Namespace: Namespaces.StanzaId } e && e.GetAttribute("by") == by) : 0;
        if (!IsArchivable(message) || !await WantsAsync(owner.Bare, with.Bare, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Removing a forged stanza-id changed the element after the sender's copy was written out.
        quota?.Written(owner.Bare);
        var staged = store.Stage(Entry(owner.Bare, with.Bare, outgoing: false, message, forged == 0 ? routed : null));
        message.AddElement("stanza-id", Namespaces.StanzaId).SetAttribute("by", by).SetAttribute("id", staged.Message.Id);
        return staged.Stored;
    }

    // Most messages carry no stanza-id at all: checked first, so that they pay for no predicate closure.
    private static bool HasStanzaId(XmlElement message) => message.Element("stanza-id", Namespaces.StanzaId) is not null;

    private static ArchiveEntry Entry(Jid owner, Jid with, bool outgoing, XmlElement message, RoutedStanza? routed) =>
        new(owner, with, DateTimeOffset.UtcNow, outgoing, message.ChildText("thread", Namespaces.Client), ArchiveXml(message, routed), OriginKey(message));

    /// <summary>
    /// The stanza as archived, written out once per routed message: a local message's two rows (the
    /// sender's and the recipient's) hold the same element, so the second reuses the first's text.
    /// A readdressed stanza is a copy (another element) and is written out again.
    /// </summary>
    private static string ArchiveXml(XmlElement message, RoutedStanza? routed)
    {
        if (routed?.ArchivedXml is { } archived && ReferenceEquals(archived.Element, message))
        {
            return archived.Xml;
        }

        var xml = XmlWriter.ToXmlString(message, Namespaces.Client);
        if (routed is not null)
        {
            routed.ArchivedXml = new(message, xml);
        }

        return xml;
    }

    /// <summary>
    /// What identifies the message as its sender made it (<see cref="ArchiveEntry.OriginKey"/>): the
    /// XEP-0359 origin-id, else the stanza id. Overlong ones are not used (the index stays small).
    /// </summary>
    internal static string? OriginKey(XmlElement message)
    {
        const int MaxKey = 128;
        if (message.Element("origin-id", Namespaces.StanzaId)?.GetAttribute("id") is { Length: > 0 and <= MaxKey } origin)
        {
            return "o:" + origin;
        }

        return message.GetAttribute("id") is { Length: > 0 and <= MaxKey } id ? "i:" + id : null;
    }

    private async ValueTask<bool> WantsAsync(Jid owner, Jid with, CancellationToken cancellationToken)
    {
        if (!accounts.Exists(owner))
        {
            return false;
        }

        if (!_preferences.TryGetValue(owner, out var prefs))
        {
            prefs = await store.GetPreferencesAsync(owner, cancellationToken).ConfigureAwait(false);
            _preferences[owner] = prefs;
        }

        if (prefs.Never.Contains(with))
        {
            return false;
        }

        if (prefs.Always.Contains(with))
        {
            return true;
        }

        return prefs.Default switch
        {
            "never" => false,
            "roster" => await rosters.GetItemAsync(owner, with, cancellationToken).ConfigureAwait(false) is { InRoster: true },
            _ => true,
        };
    }

    private async ValueTask QueryAsync(IqContext context)
    {
        if (!context.IsOwnAccount || context.Origin is null)
        {
            await context.ErrorAsync("forbidden", "Only the owner may read an archive.").ConfigureAwait(false);
            return;
        }

        if (!context.IsSet)
        {
            await context.ResultAsync(new XmlElement("query", Namespaces.Mam).Add(SearchForm())).ConfigureAwait(false);
            return;
        }

        if (!TryParseQuery(context.Origin.BareJid, context.Payload, out var query, out var error))
        {
            await context.ErrorAsync(error.Condition, error.Text).ConfigureAwait(false);
            return;
        }

        ArchivePage page;
        try
        {
            page = await store.QueryAsync(query).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            await context.ErrorAsync("item-not-found", "No message in the archive has that id.").ConfigureAwait(false);
            return;
        }

        var queryId = context.Payload.GetAttribute("queryid");
        foreach (var message in page.Messages)
        {
            if (XmlFragment.Parse(message.StanzaXml, xmlLimits) is { } original)
            {
                context.Origin.Send(ResultMessage(message, original, context.Origin.BareJid, context.Origin.FullJid, queryId));
            }
        }

        await context.ResultAsync(Fin(page)).ConfigureAwait(false);
    }

    /// <summary>One XEP-0313 result: the archived stanza forwarded with its delay, from the archive's owner (a user, or a room).</summary>
    internal static XmlElement ResultMessage(ArchivedMessage message, XmlElement original, Jid archive, Jid requester, string? queryId)
    {
        var result = new XmlElement("message", Namespaces.Client)
            .SetAttribute("to", requester.ToString())
            .SetAttribute("from", archive.ToString());
        var resultElement = result.AddElement("result", Namespaces.Mam).SetAttribute("id", message.Id);
        if (queryId is not null)
        {
            resultElement.SetAttribute("queryid", queryId);
        }

        var forwarded = resultElement.AddElement("forwarded", Namespaces.Forward);
        forwarded.AddElement("delay", Namespaces.Delay).SetAttribute("stamp", Stamp(message.Timestamp));
        forwarded.Add(original);
        return result;
    }

    /// <summary>The query's end (XEP-0313 §4.3): completeness and the XEP-0059 set of the page.</summary>
    internal static XmlElement Fin(ArchivePage page)
    {
        var fin = new XmlElement("fin", Namespaces.Mam);
        if (page.Complete)
        {
            fin.SetAttribute("complete", "true");
        }

        var set = fin.AddElement("set", Namespaces.Rsm);
        if (page.Messages.Count > 0)
        {
            set.AddElement("first").AddText(page.Messages[0].Id);
            set.AddElement("last").AddText(page.Messages[^1].Id);
        }

        set.AddElement("count").AddText(page.Count.ToString(CultureInfo.InvariantCulture));
        return fin;
    }

    internal static bool TryParseQuery(Jid owner, XmlElement payload, out ArchiveQuery query, out (string Condition, string Text) error)
    {
        query = new ArchiveQuery(owner);
        error = default;
        Jid? with = null;
        DateTimeOffset? start = null, end = null;
        string? after = null, before = null, thread = null;
        List<string>? ids = null;
        var lastPage = false;

        var form = payload.Element("x", Namespaces.DataForms);
        foreach (var field in form?.Elements("field", Namespaces.DataForms) ?? [])
        {
            var name = field.GetAttribute("var");
            var values = field.Elements("value", Namespaces.DataForms).Select(v => v.Text).ToList();
            var value = values.FirstOrDefault();
            switch (name)
            {
                case "FORM_TYPE":
                    if (value != Namespaces.Mam)
                    {
                        error = ("bad-request", "FORM_TYPE must be " + Namespaces.Mam + ".");
                        return false;
                    }

                    break;
                case "with":
                    if (!Jid.TryParse(value, out with))
                    {
                        error = ("jid-malformed", "'with' is not a valid JID.");
                        return false;
                    }

                    break;
                case "start" or "end":
                    if (!TryParseStamp(value, out var stamp))
                    {
                        error = ("bad-request", $"'{name}' is not an XEP-0082 date-time.");
                        return false;
                    }

                    if (name == "start")
                    {
                        start = stamp;
                    }
                    else
                    {
                        end = stamp;
                    }

                    break;
                case "after-id":
                    after = value;
                    break;
                case "before-id":
                    before = value;
                    break;
                case "ids":
                    ids = values;
                    break;
                case ThreadField:
                    thread = value;
                    break;
                default:
                    error = ("feature-not-implemented", $"The archive cannot filter by '{name}'.");
                    return false;
            }
        }

        var max = DefaultPage;
        var set = payload.Element("set", Namespaces.Rsm);
        if (set is not null)
        {
            var maxText = set.ChildText("max", Namespaces.Rsm);
            if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max)))
            {
                error = ("bad-request", "<max/> must be a non-negative integer.");
                return false;
            }

            // XEP-0059 §2.2: a server may return fewer items than asked; an absurd page is clamped.
            max = Math.Min(max, MaxPage);
            if (set.ChildText("after", Namespaces.Rsm) is { Length: > 0 } a)
            {
                after = a;
            }

            if (set.Element("before", Namespaces.Rsm) is { } b)
            {
                if (b.Text.Length > 0)
                {
                    before = b.Text;
                }
                else
                {
                    lastPage = true;
                }
            }
        }

        query = new ArchiveQuery(owner, with?.Bare, start, end, after, before, lastPage && before is null, max, thread,
            payload.Element("flip-page", Namespaces.Mam) is not null, ids);
        return true;
    }

    private static bool TryParseStamp(string? text, out DateTimeOffset stamp) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out stamp);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static XmlElement SearchForm()
    {
        var x = new XmlElement("x", Namespaces.DataForms).SetAttribute("type", "form");
        x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(Namespaces.Mam);
        x.AddElement("field").SetAttribute("var", "with").SetAttribute("type", "jid-single");
        x.AddElement("field").SetAttribute("var", "start").SetAttribute("type", "text-single");
        x.AddElement("field").SetAttribute("var", "end").SetAttribute("type", "text-single");
        x.AddElement("field").SetAttribute("var", "before-id").SetAttribute("type", "text-single");
        x.AddElement("field").SetAttribute("var", "after-id").SetAttribute("type", "text-single");
        x.AddElement("field").SetAttribute("var", "ids").SetAttribute("type", "text-multi");
        x.AddElement("field").SetAttribute("var", ThreadField).SetAttribute("type", "text-single")
            .SetAttribute("label", "Conversation thread");
        return x;
    }

    private async ValueTask PreferencesAsync(IqContext context)
    {
        if (!context.IsOwnAccount || context.Origin is null)
        {
            await context.ErrorAsync("forbidden").ConfigureAwait(false);
            return;
        }

        var owner = context.Origin.BareJid;
        if (context.IsSet)
        {
            var p = context.Payload;
            var defaultValue = p.GetAttribute("default") ?? "always";
            if (defaultValue is not ("always" or "never" or "roster"))
            {
                await context.ErrorAsync("bad-request", "default must be always, never or roster.").ConfigureAwait(false);
                return;
            }

            if (!TryJids(p.Element("always", Namespaces.Mam), out var always) || !TryJids(p.Element("never", Namespaces.Mam), out var never))
            {
                await context.ErrorAsync("jid-malformed").ConfigureAwait(false);
                return;
            }

            var prefs = new ArchivePreferences(defaultValue, always, never);
            await store.SetPreferencesAsync(owner, prefs).ConfigureAwait(false);
            _preferences[owner] = prefs;
        }

        var current = await store.GetPreferencesAsync(owner).ConfigureAwait(false);
        var answer = new XmlElement("prefs", Namespaces.Mam).SetAttribute("default", current.Default);
        var alwaysXml = answer.AddElement("always");
        foreach (var j in current.Always)
        {
            alwaysXml.AddElement("jid").AddText(j.ToString());
        }

        var neverXml = answer.AddElement("never");
        foreach (var j in current.Never)
        {
            neverXml.AddElement("jid").AddText(j.ToString());
        }

        await context.ResultAsync(answer).ConfigureAwait(false);
    }

    private static bool TryJids(XmlElement? list, out List<Jid> jids)
    {
        jids = [];
        foreach (var j in list?.Elements("jid", Namespaces.Mam) ?? [])
        {
            if (!Jid.TryParse(j.Text.Trim(), out var jid))
            {
                return false;
            }

            jids.Add(jid.Bare);
        }

        return true;
    }

    /// <summary>The user deletes their archive (all of it, or what is older than 'before').</summary>
    private async ValueTask DeleteAsync(IqContext context)
    {
        if (!context.IsSet || !context.IsOwnAccount || context.Origin is null)
        {
            await context.ErrorAsync(context.IsSet ? "forbidden" : "bad-request").ConfigureAwait(false);
            return;
        }

        DateTimeOffset? before = null;
        if (context.Payload.GetAttribute("before") is { } text)
        {
            if (!TryParseStamp(text, out var stamp))
            {
                await context.ErrorAsync("bad-request", "'before' is not an XEP-0082 date-time.").ConfigureAwait(false);
                return;
            }

            before = stamp;
        }

        var deleted = await store.DeleteAsync(context.Origin.BareJid, before).ConfigureAwait(false);
        await context.ResultAsync(new XmlElement("deleted", DeleteNamespace).SetAttribute("count", deleted.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
    }
}
