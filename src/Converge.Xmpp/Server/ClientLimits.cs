namespace Converge.Xmpp.Server;

/// <summary>Timeouts and limits of client connections.</summary>
public sealed class ClientLimits
{
    /// <summary>Time a connection may take from TCP accept to a bound resource.</summary>
    public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A session that sends nothing (not even whitespace) for this long gets a ping, then is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interval of server whitespace keepalives on an otherwise silent stream.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Stanzas queued for one session before it is considered stuck and closed.</summary>
    public int MaxOutboundQueue { get; set; } = 10_000;

    /// <summary>Failed authentications from one IP address within a minute before further attempts are delayed.</summary>
    public int AuthFailuresBeforeDelay { get; set; } = 3;

    /// <summary>Most offline messages stored per user; further ones are refused with service-unavailable.</summary>
    public int MaxOfflineMessages { get; set; } = 1000;

    /// <summary>How long a session whose connection dropped waits to be resumed (XEP-0198) before its undelivered messages go to offline storage.</summary>
    public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most sessions (bound resources) one account may have at once; one more bind gets resource-constraint.</summary>
    public int MaxSessionsPerAccount { get; set; } = 10;

    /// <summary>The former name of <see cref="MaxSessionsPerAccount"/>, still read so older configuration files keep working.</summary>
    public int MaxResourcesPerAccount
    {
        get => MaxSessionsPerAccount;
        set => MaxSessionsPerAccount = value;
    }

    /// <summary>
    /// Bytes one session may have waiting: queued for its writer plus sent but not yet acknowledged
    /// (XEP-0198). Past it the session ends with policy-violation and what it never confirmed goes to
    /// offline storage. Stored messages are handed out paced under half of it.
    /// </summary>
    public long MaxQueuedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Connections from one address (IPv6: one /64) that have not authenticated yet; one more is refused. 0: no limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int MaxUnauthenticatedPerAddress { get; set; } = 20;

    /// <summary>Messages per minute one local user may send, whatever the destination (a burst of that many passes). 0: no limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int MessagesPerMinute { get; set; }

    /// <summary>Subscription requests per minute one local user may send (a burst of that many passes). 0: no limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int SubscriptionRequestsPerMinute { get; set; } = 10;
}
