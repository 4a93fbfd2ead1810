using System.Security.Cryptography;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Pep;

/// <summary>XEP-0398, vCard to PEP: a photo set by a vCard-avatar client (XEP-0153) becomes the owner's XEP-0084 avatar.</summary>
public sealed class VCardToPepAvatarTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(users: ["alice"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_vcard_photo_is_published_as_avatar_data_and_metadata_named_by_its_sha1()
    {
        var image = RandomNumberGenerator.GetBytes(300);
        var id = Convert.ToHexStringLower(SHA1.HashData(image));
        await using var alice = await _server.LoginAsync("alice", "pc");

        await alice.SendAsync($"<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Alice</FN><PHOTO><TYPE>image/jpeg</TYPE><BINVAL>{Convert.ToBase64String(image)}</BINVAL></PHOTO></vCard></iq>");
        Assert.Equal("result", (await alice.ExpectAsync(e => e.GetAttribute("id") == "v1")).GetAttribute("type"));

        await alice.SendAsync("<iq type='get' id='m1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:metadata'/></pubsub></iq>");
        var metadata = await alice.ExpectAsync(e => e.GetAttribute("id") == "m1");
        var info = Descendants(metadata).Single(e => e.Name == "info" && e.Namespace == "urn:xmpp:avatar:metadata");
        Assert.Equal((id, "300", "image/jpeg"), (info.GetAttribute("id"), info.GetAttribute("bytes"), info.GetAttribute("type")));

        await alice.SendAsync($"<iq type='get' id='d1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:data'><item id='{id}'/></items></pubsub></iq>");
        var data = Descendants(await alice.ExpectAsync(e => e.GetAttribute("id") == "d1")).Single(e => e.Name == "data" && e.Namespace == "urn:xmpp:avatar:data");
        Assert.Equal(image, Convert.FromBase64String(data.Text.Trim()));

        // The same photo again is no new publication; the vCard keeps what the client set.
        await alice.SendAsync($"<iq type='set' id='v2'><vCard xmlns='vcard-temp'><FN>Alice A.</FN><PHOTO><TYPE>image/jpeg</TYPE><BINVAL>{Convert.ToBase64String(image)}</BINVAL></PHOTO></vCard></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "v2");
        await alice.SendAsync("<iq type='get' id='m2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:metadata'/></pubsub></iq>");
        Assert.Single(Descendants(await alice.ExpectAsync(e => e.GetAttribute("id") == "m2")), e => e.Name == "item");
        await alice.SendAsync("<iq type='get' id='g1'><vCard xmlns='vcard-temp'/></iq>");
        var vcard = await alice.ExpectAsync(e => e.GetAttribute("id") == "g1");
        Assert.Equal("Alice A.", vcard.FirstElement()!.ChildText("FN", "vcard-temp"));
    }

    private static IEnumerable<XmlElement> Descendants(XmlElement element)
    {
        foreach (var child in element.Elements())
        {
            yield return child;
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }
}
