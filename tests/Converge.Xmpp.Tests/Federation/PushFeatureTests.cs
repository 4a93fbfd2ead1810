using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>A push notification crosses an interconnection as the agreement's Push feature, not as PEP.</summary>
public sealed class PushFeatureTests
{
    private static Stanza Iq(string payload) => new(
        XmlFragment.Parse($"<iq type='set' id='n1' from='alice@a.example' to='push.b.example'>{payload}</iq>", new XmlLimits())!,
        StanzaKind.Iq,
        Jid.Parse("alice@a.example"),
        Jid.Parse("push.b.example"));

    [Fact]
    public void A_pubsub_publish_of_a_push_notification_is_push_and_another_publish_is_pep()
    {
        var push = Iq("""
            <pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>
              <notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'/></notification>
            </item></publish></pubsub>
            """);
        var mood = Iq("""
            <pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='http://jabber.org/protocol/mood'><item>
              <mood xmlns='http://jabber.org/protocol/mood'><happy/></mood>
            </item></publish></pubsub>
            """);

        Assert.Equal(InterconnectionFeature.Push, StanzaFeature.Of(push));
        Assert.Equal(InterconnectionFeature.Pep, StanzaFeature.Of(mood));
    }
}
