using Converge.Core.Addressing;
using Converge.Core.Roster;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>Reads a roster item from columns (contact, name, groups, state, approved, in_roster).</summary>
internal static class RosterRow
{
    public static RosterItem Read(SqliteDataReader reader) => new(
        Jid.Parse(reader.GetString(0)),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        RosterGroupsColumn.Decode(reader.IsDBNull(2) ? null : reader.GetString(2)),
        SubscriptionStateColumn.Parse(reader.GetString(3)),
        reader.GetBoolean(4),
        reader.GetBoolean(5));
}
