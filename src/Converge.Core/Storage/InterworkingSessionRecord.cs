namespace Converge.Core.Storage;

/// <summary>
/// One session record of the interworking function. <paramref name="CpmUser"/> is the bare JID;
/// <paramref name="LegacyAddress"/> the number or mail address; <paramref name="Expires"/> is set
/// for an invitation by the CPM user (no answer by then is a decline); <paramref name="LegacyJid"/>
/// is the legacy user's address as the CPM user sees it (where a decline by time-out comes from).
/// </summary>
public sealed record InterworkingSessionRecord(
    OutboxChannel Channel, string CpmUser, string LegacyAddress, InterworkingSessionState State, string Thread, DateTimeOffset? Expires, string? LegacyJid);
