namespace Converge.Core.GroupChat;

/// <summary>
/// XEP-0045's rules on who may do what in a room, as pure functions of roles, affiliations and the
/// room's configuration (§5.1.1, §5.2.1 and the moderator/admin/owner use cases of §8–§10). The room
/// asks these before it changes anything, so a rule is tested here without a socket.
/// </summary>
public static class RoomPermissions
{
    /// <summary>Why a user may not enter, as the XEP-0045 §7.2 error condition; null when they may.</summary>
    public static string? RefuseEntry(MucAffiliation affiliation, RoomConfiguration config, bool passwordMatches, int occupants, int maxOccupants)
    {
        if (affiliation == MucAffiliation.Outcast)
        {
            return "forbidden"; // §7.2.7 banned
        }

        if (config.MembersOnly && affiliation < MucAffiliation.Member)
        {
            return "registration-required"; // §7.2.6
        }

        if (config.PasswordProtected && !passwordMatches && affiliation < MucAffiliation.Admin)
        {
            return "not-authorized"; // §7.2.5; owners and admins are not asked (§7.2.5 allows it)
        }

        if (occupants >= Math.Min(config.MaxUsers, maxOccupants) && affiliation < MucAffiliation.Admin)
        {
            return "service-unavailable"; // §7.2.10 room full; admins and owners may still enter
        }

        return null;
    }

    /// <summary>The role an occupant gets on entering (§5.1.2 defaults).</summary>
    public static MucRole RoleOnEntry(MucAffiliation affiliation, RoomConfiguration config) => affiliation switch
    {
        MucAffiliation.Owner or MucAffiliation.Admin => MucRole.Moderator,
        MucAffiliation.Member => MucRole.Participant,
        MucAffiliation.None => config.Moderated ? MucRole.Visitor : MucRole.Participant,
        _ => MucRole.None,
    };

    /// <summary>Visitors in a moderated room have no voice (§5.1.1).</summary>
    public static bool MaySpeak(MucRole role) => role >= MucRole.Participant;

    /// <summary>Moderators may always change the subject; participants when the room lets them (§8.1).</summary>
    public static bool MayChangeSubject(MucRole role, RoomConfiguration config) =>
        role == MucRole.Moderator || (role == MucRole.Participant && config.ChangeSubject);

    /// <summary>Moderators may always invite; others in a room that allows it (§7.8.2).</summary>
    public static bool MayInvite(MucRole role, MucAffiliation affiliation, RoomConfiguration config) =>
        role >= MucRole.Participant && (role == MucRole.Moderator || affiliation >= MucAffiliation.Admin || config.AllowInvites || !config.MembersOnly);

    /// <summary>
    /// May an occupant change another occupant's role (kick = None, voice = Participant / Visitor,
    /// moderator) (§8.2–§8.6, §9.6–§9.7)? Moderators change voice and kick, never someone of a higher
    /// affiliation nor an admin or owner; granting or revoking moderator is for admins and owners.
    /// </summary>
    public static bool MayChangeRole(MucRole actorRole, MucAffiliation actorAffiliation, MucAffiliation targetAffiliation, MucRole targetRole, MucRole newRole)
    {
        if (actorRole != MucRole.Moderator)
        {
            return false;
        }

        if (targetAffiliation >= MucAffiliation.Admin)
        {
            return false; // admins and owners are always moderators (§5.1.2): nobody changes their role
        }

        if (newRole == MucRole.Moderator || targetRole == MucRole.Moderator)
        {
            return actorAffiliation >= MucAffiliation.Admin && actorAffiliation > targetAffiliation;
        }

        return actorAffiliation >= targetAffiliation || actorAffiliation >= MucAffiliation.Admin;
    }

    /// <summary>
    /// May a user change another user's affiliation (§9, §10)? Admins manage members and outcasts among
    /// those below admin; only owners grant or take admin and owner.
    /// </summary>
    public static bool MayChangeAffiliation(MucAffiliation actor, MucAffiliation target, MucAffiliation newAffiliation)
    {
        if (actor == MucAffiliation.Owner)
        {
            return true;
        }

        return actor == MucAffiliation.Admin
            && target < MucAffiliation.Admin
            && newAffiliation < MucAffiliation.Admin;
    }

    /// <summary>Who may read an affiliation list (§9.5, §10.5, §10.8): admins and owners.</summary>
    public static bool MayReadAffiliationList(MucAffiliation actor) => actor >= MucAffiliation.Admin;

    /// <summary>The room configuration and its destruction are the owners' (§10.1, §10.9).</summary>
    public static bool MayConfigure(MucAffiliation actor) => actor == MucAffiliation.Owner;

    /// <summary>The room's archive can be read by whoever could enter it (XEP-0313 §5.1.1 via XEP-0045 entry rules).</summary>
    public static bool MayReadArchive(MucAffiliation affiliation, RoomConfiguration config, bool isOccupant) =>
        affiliation != MucAffiliation.Outcast && (isOccupant || !config.MembersOnly || affiliation >= MucAffiliation.Member);
}
