using System.ComponentModel.DataAnnotations;
using Converge.Xmpp.GroupChat;

namespace Converge.Configuration;

/// <summary>The <c>GroupChat</c> section: XEP-0045 multi-user chat on its own service domain.</summary>
internal sealed class GroupChatOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The service's domain; unset: <c>conference.&lt;Domain&gt;</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>Who may create a room: <c>LocalUsers</c> or <c>Anyone</c>.</summary>
    public RoomCreation RoomCreation { get; set; } = RoomCreation.LocalUsers;

    /// <summary>Messages a room keeps for history on join (0: none).</summary>
    [Range(0, 1000)]
    public int HistorySize { get; set; } = 20;

    public int MaxOccupants { get; set; } = 200;

    public int MaxRooms { get; set; } = 10_000;

    public int MaxQueuedPerRoom { get; set; } = 1_000;

    /// <summary>Sessions of one user that may share a nick in a room (XEP-0045 multi-session nick); 1: one session per nick.</summary>
    [Range(1, 100)]
    public int MaxSessionsPerNick { get; set; } = 10;
}
