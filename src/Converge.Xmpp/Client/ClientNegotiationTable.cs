using System.Collections.Frozen;

namespace Converge.Xmpp.Client;

/// <summary>
/// Which element a client may send in which state of its stream negotiation, and the state a new
/// stream header leads to. An element missing from a state's row ends the stream: not-well-formed
/// before a header, not-authorized after it (RFC 6120 §4.9.3, §6.4). Whether an allowed element
/// succeeds is its handler's business (STARTTLS once secure is answered &lt;failure/&gt; and closed,
/// SASL in the clear is answered encryption-required, a bind may be refused); the states move on at
/// a stream restart (<see cref="ClientStreamState.AwaitingHeader"/>) and when a session is bound or
/// resumed (<see cref="ClientStreamState.Bound"/>).
/// </summary>
internal static class ClientNegotiationTable
{
    private static readonly FrozenDictionary<ClientStreamState, FrozenSet<NegotiationElement>> Allowed =
        new Dictionary<ClientStreamState, FrozenSet<NegotiationElement>>
        {
            [ClientStreamState.AwaitingHeader] = FrozenSet<NegotiationElement>.Empty,
            [ClientStreamState.Insecure] = Row(NegotiationElement.StartTls, NegotiationElement.Sasl),
            [ClientStreamState.Secured] = Row(NegotiationElement.StartTls, NegotiationElement.Sasl),
            [ClientStreamState.Authenticated] = Row(NegotiationElement.StartTls, NegotiationElement.ClientIq, NegotiationElement.StreamManagement),

            // Bound streams carry stanzas, which the stanza intake checks; nothing here is negotiation any more.
            [ClientStreamState.Bound] = FrozenSet<NegotiationElement>.Empty,
        }.ToFrozenDictionary();

    public static bool Allows(ClientStreamState state, NegotiationElement element) => Allowed[state].Contains(element);

    /// <summary>The state a stream header opens, from what the previous streams negotiated.</summary>
    public static ClientStreamState AfterHeader(bool secure, bool authenticated) =>
        authenticated ? ClientStreamState.Authenticated
        : secure ? ClientStreamState.Secured
        : ClientStreamState.Insecure;

    private static FrozenSet<NegotiationElement> Row(params NegotiationElement[] elements) => elements.ToFrozenSet();
}
