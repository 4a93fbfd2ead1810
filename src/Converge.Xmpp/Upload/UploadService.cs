using System.Globalization;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Services;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Upload;

/// <summary>
/// The HTTP File Upload service on <c>upload.&lt;domain&gt;</c> (XEP-0363): answers disco#info with the
/// upload feature and its max-file-size form, and slot requests of our own users with PUT and GET URLs
/// on the HTTP listener. A peer provider's users cannot request slots: our disk and bandwidth are for
/// our subscribers (their own provider runs its own upload service).
/// </summary>
internal sealed class UploadService(UploadArea area, StanzaRouter router) : ILocalService
{
    public string Domain { get; } = area.Settings.Domain;

    public string Name => "HTTP file upload";

    public async ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Kind != StanzaKind.Iq || routed.To?.Local is not null || routed.To?.Resource is not null)
        {
            return false;
        }

        if (stanza.Type is "result" or "error")
        {
            return true; // the service asks nothing, so there is nothing to answer
        }

        var payload = stanza.Element.FirstElement();
        var context = new IqContext(router, stanza, routed.Session);
        switch (payload)
        {
            case { Name: "query", Namespace: Namespaces.DiscoInfo } when stanza.Type == "get":
                await context.ResultAsync(DiscoInfo()).ConfigureAwait(false);
                return true;
            case { Name: "query", Namespace: Namespaces.DiscoItems } when stanza.Type == "get":
                await context.ResultAsync(new XmlElement("query", Namespaces.DiscoItems)).ConfigureAwait(false);
                return true;
            case { Name: "request", Namespace: UploadNamespaces.Upload } when stanza.Type == "get":
                await SlotAsync(routed, payload, context, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private async Task SlotAsync(RoutedStanza routed, XmlElement request, IqContext context, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Client || routed.Session is null)
        {
            await context.ErrorAsync("not-allowed", "Only this provider's users may upload here.").ConfigureAwait(false);
            return;
        }

        if (!long.TryParse(request.GetAttribute("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            await context.ErrorAsync("bad-request", "The request needs a size in bytes.").ConfigureAwait(false);
            return;
        }

        var grant = await area.RequestSlotAsync(routed.Session.BareJid, request.GetAttribute("filename"), size, request.GetAttribute("content-type"), cancellationToken).ConfigureAwait(false);
        switch (grant.Outcome)
        {
            case SlotRequestOutcome.Granted:
                var slot = new XmlElement("slot", UploadNamespaces.Upload);
                slot.AddElement("put").SetAttribute("url", grant.PutUrl!.AbsoluteUri);
                slot.AddElement("get").SetAttribute("url", grant.GetUrl!.AbsoluteUri);
                await context.ResultAsync(slot).ConfigureAwait(false);
                break;
            case SlotRequestOutcome.TooLarge:
                // XEP-0363 §5: the limit travels in the error, so the client can tell its user.
                var tooLarge = new XmlElement("file-too-large", UploadNamespaces.Upload);
                tooLarge.AddElement("max-file-size").AddText(area.Settings.MaxFileSize.ToString(CultureInfo.InvariantCulture));
                await context.ErrorAsync("not-acceptable", grant.Reason, tooLarge).ConfigureAwait(false);
                break;
            case SlotRequestOutcome.QuotaExceeded:
                await context.ErrorAsync("resource-constraint", grant.Reason).ConfigureAwait(false);
                break;
            default:
                await context.ErrorAsync("bad-request", grant.Reason).ConfigureAwait(false);
                break;
        }
    }

    private XmlElement DiscoInfo()
    {
        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "store").SetAttribute("type", "file").SetAttribute("name", Name);
        query.AddElement("feature").SetAttribute("var", Namespaces.DiscoInfo);
        query.AddElement("feature").SetAttribute("var", UploadNamespaces.Upload);
        var form = query.AddElement("x", Namespaces.DataForms).SetAttribute("type", "result");
        form.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(UploadNamespaces.Upload);
        form.AddElement("field").SetAttribute("var", "max-file-size").AddElement("value").AddText(area.Settings.MaxFileSize.ToString(CultureInfo.InvariantCulture));
        return query;
    }
}
