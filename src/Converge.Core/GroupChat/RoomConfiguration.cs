namespace Converge.Core.GroupChat;

/// <summary>
/// A room's configuration: the fields of the muc#roomconfig form (XEP-0045 §10.2) that Converge
/// honours. Immutable; an owner's submitted form makes a new one.
/// </summary>
/// <param name="Whois">Who sees occupants' real JIDs: <c>moderators</c> (semi-anonymous) or <c>anyone</c> (non-anonymous).</param>
/// <param name="MaxUsers">Occupants at once; capped by the service's <c>GroupChat.MaxOccupants</c>.</param>
/// <param name="HistorySize">Messages kept for history on join (muc#maxhistoryfetch); capped by <c>GroupChat.HistorySize</c>.</param>
public sealed record RoomConfiguration(
    string Name = "",
    string Description = "",
    bool Persistent = false,
    bool Public = true,
    bool MembersOnly = false,
    string? Password = null,
    bool Moderated = false,
    string Whois = "moderators",
    int MaxUsers = 200,
    int HistorySize = 20,
    bool ChangeSubject = false,
    bool AllowInvites = false,
    bool Archived = true)
{
    public bool PasswordProtected => !string.IsNullOrEmpty(Password);

    public bool NonAnonymous => Whois == "anyone";
}
