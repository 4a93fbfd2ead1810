namespace Converge.Core.GroupChat;

/// <summary>
/// A user's long-lived standing in a room (XEP-0045 §5.2), kept across visits and restarts. Ordered
/// from least to most privileged so that "at least member" is a comparison.
/// </summary>
public enum MucAffiliation
{
    /// <summary>Banned: may not enter.</summary>
    Outcast = -1,

    None = 0,

    Member = 1,

    Admin = 2,

    Owner = 3,
}
