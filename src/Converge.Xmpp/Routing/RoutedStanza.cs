using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Xmpp.Client;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing;

/// <summary>
/// One stanza on its way through the routing step: the stanza (which handlers may readdress), the
/// door it came in by, and what classification found out about its destination, so that no handler
/// resolves an address twice.
/// </summary>
internal sealed class RoutedStanza(Stanza stanza, StanzaOrigin origin)
{
    public Stanza Stanza { get; private set; } = stanza;

    /// <summary>The stanza as it came in, addressed as its sender wrote it (the sender's archive and carbons keep this form).</summary>
    public Stanza Original { get; } = stanza;

    public StanzaOrigin Origin { get; } = origin;

    /// <summary>The sending session, for stanzas from a local client.</summary>
    public ClientSession? Session { get; init; }

    /// <summary>The authenticated domain of the link, for stanzas from a peer provider.</summary>
    public string? PeerDomain { get; init; }

    /// <summary>The legacy technology that brought it (origin Legacy) or that will carry it (target Legacy).</summary>
    public LegacyChannel? Channel { get; set; }

    public RouteTarget Target { get; set; }

    /// <summary>The service of ours the stanza is addressed to, when <see cref="Target"/> is <see cref="RouteTarget.Service"/>.</summary>
    public Services.ILocalService? Service { get; set; }

    /// <summary>The local account the stanza is for (targets Bare and Full), null when there is none.</summary>
    public Account? Recipient { get; set; }

    /// <summary>The local account that sent it, whatever door it came by (a client, or an SMS from a subscriber's number).</summary>
    public Account? Sender { get; set; }

    /// <summary>The number address the sender wrote (+E164@our-domain) when it resolved to an account or a peer.</summary>
    public Jid? AddressedAs { get; set; }

    /// <summary>The number or mail address to deliver to (target Legacy).</summary>
    public string? LegacyAddress { get; set; }

    /// <summary>Why the legacy technology was chosen, for the log.</summary>
    public string? LegacyReason { get; set; }

    /// <summary>
    /// Storage the stanza counts as handled only after (the archive rows of the sender's and the
    /// recipient's copies). Queued during routing, committed by the next grouped commit while the
    /// message is already on its way; whoever acknowledges the stanza waits for it (<see cref="StanzaRouter"/>).
    /// </summary>
    public Task? PendingWrite { get; private set; }

    /// <summary>Adds a queued write the stanza's acknowledgement must wait for.</summary>
    public void WaitFor(Task? write)
    {
        if (write is null || write.IsCompletedSuccessfully)
        {
            return;
        }

        PendingWrite = PendingWrite is null ? write : Task.WhenAll(PendingWrite, write);
    }

    /// <summary>The element as the archive wrote it out (see <c>ArchiveModule</c>): the recipient's row reuses the sender's text.</summary>
    public ArchivedStanzaXml? ArchivedXml { get; set; }

    /// <summary>The sender's archive copy and carbons were made (they are made once, even if the stanza is rerouted).</summary>
    public bool SentCopiesMade { get; set; }

    /// <summary>Counted by the routing meter already (a stanza sent on along a second event is counted once).</summary>
    public bool Metered { get; set; }

    public Jid? From => Stanza.From;

    public Jid? To => Stanza.To;

    /// <summary>Replaces the element (a filtered copy) keeping the addresses.</summary>
    public void Replace(XmlElement element) => Stanza = new Stanza(element, Stanza.Kind, Stanza.From, Stanza.To);

    /// <summary>Readdresses the stanza (number resolution, alias presentation): the element and the parsed addresses together.</summary>
    public void Readdress(Jid? from, Jid? to)
    {
        // The first change copies the element: the original may already be queued to the sender's other resources.
        var element = ReferenceEquals(Stanza.Element, Original.Element) ? Stanza.Element.Clone() : Stanza.Element;
        if (from is not null)
        {
            element.SetAttribute("from", from.ToString());
        }

        if (to is not null)
        {
            element.SetAttribute("to", to.ToString());
        }

        Stanza = new Stanza(element, Stanza.Kind, from ?? Stanza.From, to ?? Stanza.To);
    }
}
