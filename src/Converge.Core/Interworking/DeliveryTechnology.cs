namespace Converge.Core.Interworking;

/// <summary>How a message reaches its recipient, chosen by the server, never by the sender (CPM-IOP-003).</summary>
public enum DeliveryTechnology
{
    /// <summary>To the recipient's CPM (XMPP) client now.</summary>
    Xmpp,

    /// <summary>Kept in XMPP offline storage for the recipient's next CPM session.</summary>
    XmppOffline,

    /// <summary>As SMS to a number.</summary>
    Sms,

    /// <summary>As email to an address.</summary>
    Email,
}

/// <param name="Technology">The technology chosen.</param>
/// <param name="Address">The SMS number (+E164) or email address for legacy technologies.</param>
/// <param name="Reason">Why, for the log.</param>
public readonly record struct TechnologyChoice(DeliveryTechnology Technology, string? Address, string Reason);
