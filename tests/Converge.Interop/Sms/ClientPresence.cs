namespace Converge.Interop.Sms;

/// <summary>
/// A presence stanza the slixmpp client received, as cpm_client.py reports it. slixmpp reports an
/// available presence's type as its show value, or "available".
/// </summary>
internal sealed record ClientPresence(string From, string To, string? Type, string? Status)
{
    public string BareFrom => From.Split('/')[0];

    public bool IsAvailable => Type is not ("unavailable" or "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed" or "probe" or "error");
}
