namespace Converge.Core.GroupChat;

/// <summary>An occupant's privileges for one visit (XEP-0045 §5.1), ordered from least to most.</summary>
public enum MucRole
{
    /// <summary>Not in the room (the role a kick sets).</summary>
    None = 0,

    /// <summary>In the room but without voice in a moderated room.</summary>
    Visitor = 1,

    Participant = 2,

    Moderator = 3,
}
