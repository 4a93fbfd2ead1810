using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Pep;

/// <summary>
/// XEP-0398: an avatar published through PEP (XEP-0084 metadata naming data already published)
/// becomes the PHOTO of the owner's vCard, so that clients using vCard avatars (XEP-0153) see it;
/// empty metadata (avatar removed) removes the PHOTO. The other way, a vCard stored with a PHOTO
/// that PEP does not have yet is published as XEP-0084 data and metadata, so that PEP clients see
/// the avatar a vCard client set.
/// </summary>
internal sealed partial class AvatarConversion(PepService pep, IVCardStore vcards, XmlLimits xmlLimits, ILogger logger)
{
    public void Attach(Im.VCardModule vcardModule)
    {
        pep.Published += OnPublishedAsync;
        vcardModule.Stored += OnVCardStoredAsync;
    }

    private async ValueTask OnVCardStoredAsync(Jid owner, XmlElement vcard)
    {
        var photo = vcard.Element("PHOTO", Namespaces.VCard);
        var base64 = photo?.ChildText("BINVAL", Namespaces.VCard)?.Trim();
        if (photo is null || string.IsNullOrEmpty(base64))
        {
            return; // a vCard without a photo says nothing about the PEP avatar (it may be set there only)
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return;
        }

        // XEP-0084 §4.2: the item id is the hex SHA-1 of the image; the same image already published is no change.
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(bytes));
        var (_, current) = await pep.OwnerItemsAsync(owner, PepNamespaces.AvatarMetadata).ConfigureAwait(false);
        if (current.Any(i => i.Payload.Elements("info", PepNamespaces.AvatarMetadata).Any(info => info.GetAttribute("id") == id)))
        {
            return;
        }

        var data = new XmlElement("data", PepNamespaces.AvatarData).AddText(Convert.ToBase64String(bytes));
        if ((await pep.PublishAsync(owner, PepNamespaces.AvatarData, id, data, NodeConfigForm.Empty, CancellationToken.None).ConfigureAwait(false)).Error is not null)
        {
            return;
        }

        var metadata = new XmlElement("metadata", PepNamespaces.AvatarMetadata);
        metadata.AddElement("info")
            .SetAttribute("id", id)
            .SetAttribute("bytes", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .SetAttribute("type", photo.ChildText("TYPE", Namespaces.VCard)?.Trim() is { Length: > 0 } type ? type : "image/png");
        await pep.PublishAsync(owner, PepNamespaces.AvatarMetadata, id, metadata, NodeConfigForm.Empty, CancellationToken.None).ConfigureAwait(false);
        LogPublishedFromVCard(logger, owner.ToString(), id);
    }

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

    [LoggerMessage(EventId = 4605, Level = LogLevel.Debug, Message = "vCard photo of {Owner} published as PEP avatar {Id}")]
    private static partial void LogPublishedFromVCard(ILogger logger, string owner, string id);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "PEP avatar of {Owner} copied to the vCard (photo: {HasPhoto})")]
    private static partial void LogConverted(ILogger logger, string owner, bool hasPhoto);
}
