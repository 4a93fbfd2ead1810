using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Pep;

/// <summary>
/// XEP-0398: an avatar published through PEP (XEP-0084 metadata naming data already published)
/// becomes the PHOTO of the owner's vCard, so that clients using vCard avatars (XEP-0153) see it;
/// empty metadata (avatar removed) removes the PHOTO.
/// </summary>
internal sealed partial class AvatarConversion(PepService pep, IVCardStore vcards, XmlLimits xmlLimits, ILogger logger)
{
    public void Attach() => pep.Published += OnPublishedAsync;

    private async ValueTask OnPublishedAsync(Jid owner, string node, PepItem item)
    {
        if (node != PepNamespaces.AvatarMetadata || item.Payload.Name != "metadata" || item.Payload.Namespace != PepNamespaces.AvatarMetadata)
        {
            return;
        }

        XmlElement? photo = null;
        var info = item.Payload.Elements("info", PepNamespaces.AvatarMetadata).FirstOrDefault(i => i.GetAttribute("url") is null);
        if (info is not null)
        {
            var (_, data) = await pep.OwnerItemsAsync(owner, PepNamespaces.AvatarData).ConfigureAwait(false);
            var id = info.GetAttribute("id");
            if (data.FirstOrDefault(d => d.Id == id) is not { } image)
            {
                return; // metadata without the data it describes: nothing to convert
            }

            photo = new XmlElement("PHOTO", Namespaces.VCard);
            photo.AddElement("TYPE").AddText(info.GetAttribute("type") ?? "image/png");
            photo.AddElement("BINVAL").AddText(image.Payload.Text.Trim());
        }

        var vcard = await vcards.GetAsync(owner).ConfigureAwait(false) is { } xml ? XmlFragment.Parse(xml, xmlLimits) : null;
        vcard ??= new XmlElement("vCard", Namespaces.VCard);
        vcard.RemoveAll(n => n is XmlElement e && e.Name == "PHOTO" && e.Namespace == Namespaces.VCard);
        if (photo is not null)
        {
            vcard.Add(photo);
        }

        await vcards.SetAsync(owner, XmlWriter.ToXmlString(vcard)).ConfigureAwait(false);
        LogConverted(logger, owner.ToString(), photo is not null);
    }

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "PEP avatar of {Owner} copied to the vCard (photo: {HasPhoto})")]
    private static partial void LogConverted(ILogger logger, string owner, bool hasPhoto);
}
