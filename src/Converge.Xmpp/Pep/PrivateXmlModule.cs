using System.Text;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>
/// XEP-0049 private XML storage, and its XEP-0411 bridge to XEP-0402 bookmarks: legacy bookmarks
/// written here become one PEP item per conference, and a read of legacy bookmarks is answered from
/// the PEP node whenever it exists, so both kinds of client see the same rooms.
/// </summary>
internal sealed class PrivateXmlModule(IPrivateXmlStore store, PepService pep, XmlLimits xmlLimits)
{
    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "query", PepNamespaces.Private, HandleAsync);
        iq.AddFeature(IqTarget.Account, PepNamespaces.BookmarksCompat);
    }

    private async ValueTask HandleAsync(IqContext context)
    {
        if (!context.IsOwnAccount)
        {
            await context.ErrorAsync("forbidden", "Private storage is the owner's only.").ConfigureAwait(false);
            return;
        }

        var children = context.Payload.Elements().ToList();
        if (children.Count != 1 || children[0].Namespace is "" or PepNamespaces.Private)
        {
            await context.ErrorAsync("not-acceptable", "Private storage takes exactly one element of a namespace of its own.").ConfigureAwait(false);
            return;
        }

        var owner = context.Target;
        var element = children[0];
        if (context.IsSet)
        {
            var xml = XmlWriter.ToXmlString(element);
            if (Encoding.UTF8.GetByteCount(xml) > pep.Limits.MaxItemBytes)
            {
                await context.ErrorAsync("not-acceptable", $"At most {pep.Limits.MaxItemBytes} bytes per element.").ConfigureAwait(false);
                return;
            }

            await store.SetAsync(owner, element.Name, element.Namespace, xml).ConfigureAwait(false);
            if (IsLegacyBookmarks(element))
            {
                await SyncNativeAsync(owner, element).ConfigureAwait(false);
            }

            await context.ResultAsync().ConfigureAwait(false);
            return;
        }

        var stored = await store.GetAsync(owner, element.Name, element.Namespace).ConfigureAwait(false) is { } text ? XmlFragment.Parse(text, xmlLimits) : null;
        if (IsLegacyBookmarks(element))
        {
            var (config, items) = await pep.OwnerItemsAsync(owner, PepNamespaces.Bookmarks).ConfigureAwait(false);
            if (config is not null)
            {
                stored = BookmarkConversion.ToLegacy(items, stored);
            }
        }

        var query = new XmlElement("query", PepNamespaces.Private);
        query.Add(stored ?? new XmlElement(element.Name, element.Namespace));
        await context.ResultAsync(query).ConfigureAwait(false);
    }

    /// <summary>Publishes each legacy conference as a native item and retracts the native items it no longer has.</summary>
    private async ValueTask SyncNativeAsync(Core.Addressing.Jid owner, XmlElement storage)
    {
        var conferences = BookmarkConversion.ToNative(storage);
        var (config, existing) = await pep.OwnerItemsAsync(owner, PepNamespaces.Bookmarks).ConfigureAwait(false);

        // XEP-0402 §3: bookmarks are private and every one is kept.
        var options = config is null ? new NodeConfigForm(AccessModel.Whitelist, true, pep.Limits.MaxItemsPerNode) : NodeConfigForm.Empty;
        foreach (var (jid, conference) in conferences)
        {
            var same = existing.FirstOrDefault(i => i.Id == jid);
            if (same is not null && XmlWriter.ToXmlString(same.Payload) == XmlWriter.ToXmlString(conference))
            {
                continue;
            }

            await pep.PublishAsync(owner, PepNamespaces.Bookmarks, jid, conference, options, CancellationToken.None).ConfigureAwait(false);
            options = NodeConfigForm.Empty;
        }

        foreach (var item in existing)
        {
            if (!conferences.Exists(c => c.Jid == item.Id))
            {
                await pep.RetractAsync(owner, PepNamespaces.Bookmarks, item.Id, notify: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static bool IsLegacyBookmarks(XmlElement element) =>
        element.Name == "storage" && element.Namespace == PepNamespaces.LegacyBookmarks;
}
