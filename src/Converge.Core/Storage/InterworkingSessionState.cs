namespace Converge.Core.Storage;

/// <summary>Where a session between a CPM user and a legacy user stands (stored as its number).</summary>
public enum InterworkingSessionState
{
    /// <summary>The CPM user invited; the legacy user has not answered YES or NO yet (expires).</summary>
    InvitedByUser = 1,

    /// <summary>The legacy user invited; the CPM user has not accepted or declined yet.</summary>
    InvitedByLegacy = 2,

    /// <summary>A session in progress.</summary>
    Active = 3,
}
