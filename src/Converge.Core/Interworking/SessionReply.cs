namespace Converge.Core.Interworking;

/// <summary>What a legacy user's text means for a session (XEP-0155) adapted to SMS or email.</summary>
public enum SessionReply
{
    /// <summary>Not a session keyword: an ordinary message.</summary>
    None,
    Accept,
    Decline,

    /// <summary>The legacy user asks a CPM user for a session (keyword CHAT by default).</summary>
    Invite,

    /// <summary>The legacy user ends the session (END).</summary>
    End,
}
