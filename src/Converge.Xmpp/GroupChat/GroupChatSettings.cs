namespace Converge.Xmpp.GroupChat;

/// <summary>The group-chat service's configuration (the <c>GroupChat</c> section).</summary>
public sealed class GroupChatSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>The service's domain; null: <c>conference.&lt;domain&gt;</c>.</summary>
    public string? Domain { get; init; }

    public RoomCreation RoomCreation { get; init; } = RoomCreation.LocalUsers;

    /// <summary>The most messages a room keeps for history on join; a room's own setting cannot exceed it.</summary>
    public int HistorySize { get; init; } = 20;

    /// <summary>The most occupants a room holds at once; a room's own setting cannot exceed it.</summary>
    public int MaxOccupants { get; init; } = 200;

    /// <summary>The most rooms the service holds at once (persistent and temporary); beyond it creation is refused.</summary>
    public int MaxRooms { get; init; } = 10_000;

    /// <summary>Stanzas waiting for one room; beyond it new ones are refused with resource-constraint.</summary>
    public int MaxQueuedPerRoom { get; init; } = 1_000;

    /// <summary>Sessions of one user that may share a nick in a room (multi-session nick); beyond it a further session gets conflict.</summary>
    public int MaxSessionsPerNick { get; init; } = 10;
}
