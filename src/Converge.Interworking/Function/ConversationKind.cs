namespace Converge.Interworking.Function;

/// <summary>What a message between a CPM user and a legacy user is, beyond its text.</summary>
public enum ConversationKind
{
    Message,

    /// <summary>A session invitation (XEP-0155 request).</summary>
    SessionInvite,

    /// <summary>The invitation was accepted.</summary>
    SessionAccept,

    /// <summary>The invitation was declined (or not answered in time).</summary>
    SessionDecline,

    /// <summary>The session ended.</summary>
    SessionEnd,

    /// <summary>An earlier message could not be delivered; the text says why.</summary>
    Error,

    /// <summary>An earlier message was delivered (XEP-0184).</summary>
    Receipt,
}
