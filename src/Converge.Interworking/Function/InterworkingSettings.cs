namespace Converge.Interworking.Function;

/// <summary>The rules of one interworking function: from the <c>Sms</c> section (apart from the SMSC connection) or the <c>Email</c> section.</summary>
public sealed class InterworkingSettings
{
    /// <summary>The XMPP domain legacy addresses are written in (+E164@domain).</summary>
    public required string Domain { get; init; }

    /// <summary>Numbers used as SMS sender for CPM users who have no MSISDN of their own.</summary>
    public IReadOnlyList<string> SourceNumbers { get; init; } = [];

    /// <summary>A reply within this time after the last message with a correspondent lands in that thread.</summary>
    public TimeSpan ReplyWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>No answer to an adapted session invitation within this time is a decline.</summary>
    public TimeSpan SessionInviteTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The SMS text of a CPM user's session invitation; {name} and {jid} are filled in.</summary>
    public string InviteTemplate { get; init; } = "{name} ({jid}) invites you to chat. Reply YES to accept or NO to decline.";

    public string AcceptedTemplate { get; init; } = "{name} ({jid}) accepted your chat request.";

    public string DeclinedTemplate { get; init; } = "{name} ({jid}) declined your chat request.";

    public string EndedTemplate { get; init; } = "{name} ({jid}) ended the chat.";

    /// <summary>The keyword with which an SMS user asks a CPM user for a session.</summary>
    public string InviteKeyword { get; init; } = "CHAT";

    public string EndKeyword { get; init; } = "END";

    /// <summary>Retry a transient failure after this long at first, doubling up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Give up on a message that has failed transiently for this long, and tell the sender.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A part whose submit_sm_resp was lost (crash, dropped bind, time-out) is not sent again while the
    /// SMSC's delivery report for it may still come: this long after it was written.
    /// </summary>
    public TimeSpan InDoubtHold { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a submitted part waits for its delivery report before it is forgotten.</summary>
    public TimeSpan ReportTracking { get; init; } = TimeSpan.FromDays(3);

    /// <summary>
    /// On a cluster node: the shared outbox's lane leases, this node's name and how long a lease lasts
    /// (Cluster.OutboxLaneLease). Null on a node alone, which sends every lane.
    /// </summary>
    public OutboxLaneLeasing? LaneLeasing { get; init; }
}
