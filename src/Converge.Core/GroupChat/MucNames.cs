namespace Converge.Core.GroupChat;

/// <summary>The protocol names of roles and affiliations (the 'role' and 'affiliation' attributes of XEP-0045).</summary>
public static class MucNames
{
    public static string Of(MucAffiliation affiliation) => affiliation switch
    {
        MucAffiliation.Outcast => "outcast",
        MucAffiliation.Member => "member",
        MucAffiliation.Admin => "admin",
        MucAffiliation.Owner => "owner",
        _ => "none",
    };

    public static string Of(MucRole role) => role switch
    {
        MucRole.Visitor => "visitor",
        MucRole.Participant => "participant",
        MucRole.Moderator => "moderator",
        _ => "none",
    };

    public static bool TryParseAffiliation(string? text, out MucAffiliation affiliation)
    {
        affiliation = text switch
        {
            "outcast" => MucAffiliation.Outcast,
            "none" => MucAffiliation.None,
            "member" => MucAffiliation.Member,
            "admin" => MucAffiliation.Admin,
            "owner" => MucAffiliation.Owner,
            _ => (MucAffiliation)int.MinValue,
        };
        return affiliation != (MucAffiliation)int.MinValue;
    }

    public static bool TryParseRole(string? text, out MucRole role)
    {
        role = text switch
        {
            "none" => MucRole.None,
            "visitor" => MucRole.Visitor,
            "participant" => MucRole.Participant,
            "moderator" => MucRole.Moderator,
            _ => (MucRole)int.MinValue,
        };
        return role != (MucRole)int.MinValue;
    }
}
