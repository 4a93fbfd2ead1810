using Converge.Core.Addressing;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Routing;

public enum LegacyChannel
{
    Sms,
    Email,
}

/// <summary>A message the router hands to a legacy technology.</summary>
/// <param name="Channel">SMS or email, chosen by technology selection.</param>
/// <param name="Address">The number (+E164) or email address to deliver to.</param>
/// <param name="Sender">The sender's full JID.</param>
/// <param name="Recipient">The recipient as the sender addressed them (a subscriber's JID, +E164@domain, or an escaped email JID).</param>
/// <param name="Stanza">The message stanza (jabber:client), not to be modified.</param>
public sealed record LegacyMessage(LegacyChannel Channel, string Address, Jid Sender, Jid Recipient, XmlElement Stanza);

/// <summary>
/// The interworking function as the router sees it: a handler on the one routing step that takes
/// messages for SMS and email. Implemented by the host, which wires the IWF.
/// </summary>
public interface ILegacyGateway
{
    /// <summary>Whether the channel is configured (no Sms section: no SMS interworking).</summary>
    bool Supports(LegacyChannel channel);

    /// <summary>
    /// Stores the message durably for ordered submission and returns true; only then is the sender's
    /// message acknowledged. False: refused (the router answers the sender with an error).
    /// </summary>
    ValueTask<bool> AcceptAsync(LegacyMessage message, CancellationToken cancellationToken);
}
