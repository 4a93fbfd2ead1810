namespace Converge.Xmpp.Routing;

/// <summary>
/// The fixed order of the routing step. Handlers of one event run from the highest priority down;
/// policy comes before delivery, delivery before the routes out. `converge routes` prints the table.
/// </summary>
internal static class RoutePriority
{
    /// <summary>Counting for /metrics, before any policy can stop the stanza; never handles it.</summary>
    public const int Metering = 2000;

    /// <summary>No new messages while the store has no room (disk full): before any policy that counts or remembers them.</summary>
    public const int StorageSpace = 1500;
    /// <summary>
    /// The server-wide domain blocklist: before every other policy, because nothing from or to a listed
    /// domain should cost a block-list lookup, an agreement check or a rate token.
    /// </summary>
    public const int DomainBlocklist = 1100;

    /// <summary>The sender's own block list (XEP-0191 §3.5), against the resolved account.</summary>
    public const int SenderBlocking = 1000;

    /// <summary>Stanzas from a peer go to local recipients only; nothing transits through us.</summary>
    public const int NoTransit = 950;

    /// <summary>The recipient's block list (XEP-0191 §3.4), against the resolved account.</summary>
    public const int RecipientBlocking = 900;

    /// <summary>The interconnection agreement: features in and out, exposure, replies only as replies.</summary>
    public const int Agreement = 800;

    /// <summary>Per-sender rates of messages and subscription requests: local users' own, and each peer user's from the agreement.</summary>
    public const int SenderRates = 775;

    /// <summary>Who may make the SMS and email gateways send: local accounts, and peers granted Interworking.</summary>
    public const int GatewayAccess = 750;

    /// <summary>What an SMS may cost: allowed destinations (premium-rate, international) and each sender's daily count.</summary>
    public const int SmsLimits = 725;

    /// <summary>Number resolution's side effects: remember who knows a subscriber by number, speak as that number.</summary>
    public const int NumberResolution = 700;

    /// <summary>The sender's archive copy and carbons of what a local client sent.</summary>
    public const int SentCopies = 500;

    /// <summary>Technology selection for a subscriber whom XMPP cannot reach now (CPM-IOP-003/005).</summary>
    public const int TechnologySelection = 100;

    /// <summary>
    /// Observers that learn from stanzas on their way to delivery and never stop them (entity
    /// capabilities from presence), and that handle only answers to the server's own requests.
    /// </summary>
    public const int Observers = 50;

    /// <summary>Delivery: to sessions, offline storage, IQ handlers, or the route out.</summary>
    public const int Delivery = 0;
}
