namespace Converge.Xmpp.Stanzas;

public enum StanzaKind
{
    Message,
    Presence,
    Iq,
}
