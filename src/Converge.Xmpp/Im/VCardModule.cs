using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>XEP-0054 vcard-temp: anyone may read an account's vCard; only the owner may change it.</summary>
internal sealed class VCardModule(IVCardStore store, XmlLimits xmlLimits)
{
    /// <summary>An owner stored a new vCard (XEP-0398 turns its PHOTO into a PEP avatar).</summary>
    public event Func<Core.Addressing.Jid, XmlElement, ValueTask>? Stored;

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "vCard", Namespaces.VCard, HandleAsync);
        iq.AddFeature(IqTarget.Server, Namespaces.VCard);
    }

    private async ValueTask HandleAsync(IqContext context)
    {
        if (context.IsSet)
        {
            if (!context.IsOwnAccount)
            {
                await context.ErrorAsync("forbidden", "Only the owner may change a vCard.").ConfigureAwait(false);
                return;
            }

            await store.SetAsync(context.Target, XmlWriter.ToXmlString(context.Payload)).ConfigureAwait(false);
            await context.ResultAsync().ConfigureAwait(false);
            if (Stored is { } stored)
            {
                await stored(context.Target, context.Payload).ConfigureAwait(false);
            }

            return;
        }

        var xml = await store.GetAsync(context.Target).ConfigureAwait(false);
        var vcard = xml is null ? null : XmlFragment.Parse(xml, xmlLimits);
        await context.ResultAsync(vcard ?? new XmlElement("vCard", Namespaces.VCard)).ConfigureAwait(false);
    }
}
