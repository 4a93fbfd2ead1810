using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>XEP-0313 preferences: the default mode in archive_preferences, the always/never JIDs one row each.</summary>
internal static class ArchivePreferenceRows
{
    private const string Always = "always";
    private const string Never = "never";
    private const string Roster = "roster";

    private const string SelectDefault = "SELECT default_mode FROM archive_preferences WHERE owner = $owner";

    private const string SelectJids = "SELECT rule, jid FROM archive_preference_jids WHERE owner = $owner ORDER BY rowid";

    private const string UpsertDefault = """
        INSERT INTO archive_preferences (owner, default_mode) VALUES ($owner, $default_mode)
        ON CONFLICT (owner) DO UPDATE SET default_mode = excluded.default_mode
        """;

    private const string DeleteJids = "DELETE FROM archive_preference_jids WHERE owner = $owner";

    private const string InsertJid =
        "INSERT INTO archive_preference_jids (owner, rule, jid) VALUES ($owner, $rule, $jid) ON CONFLICT DO NOTHING";

    public static void Validate(ArchivePreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(preferences.Always);
        ArgumentNullException.ThrowIfNull(preferences.Never);
        if (preferences.Default is not (Always or Never or Roster))
        {
            throw new ArgumentException(
                $"The archiving default must be '{Always}', '{Never}' or '{Roster}', not '{preferences.Default}'.", nameof(preferences));
        }
    }

    /// <summary>The owner's preferences, or <see cref="ArchivePreferences.Standard"/> when none were set.</summary>
    public static ArchivePreferences Read(SqliteSession session, string owner)
    {
        // Both tables from one snapshot: never a default from one change with the lists of another.
        session.Execute("BEGIN");
        if (session.Command(SelectDefault).Bind("$owner", owner).ExecuteScalar() is not string mode)
        {
            session.Execute("COMMIT");
            return ArchivePreferences.Standard;
        }

        var always = new List<Jid>();
        var never = new List<Jid>();
        using (var reader = session.Command(SelectJids).Bind("$owner", owner).ExecuteReader())
        {
            while (reader.Read())
            {
                (reader.GetString(0) == Always ? always : never).Add(Jid.Parse(reader.GetString(1)));
            }
        }

        session.Execute("COMMIT");
        return new ArchivePreferences(mode, always, never);
    }

    public static void Write(SqliteSession session, string owner, ArchivePreferences preferences)
    {
        session.Command(UpsertDefault).Bind("$owner", owner).Bind("$default_mode", preferences.Default).ExecuteNonQuery();
        session.Command(DeleteJids).Bind("$owner", owner).ExecuteNonQuery();
        var insert = session.Command(InsertJid).Bind("$owner", owner);
        foreach (var jid in preferences.Always)
        {
            insert.Bind("$rule", Always).Bind("$jid", jid.ToString()).ExecuteNonQuery();
        }

        foreach (var jid in preferences.Never)
        {
            insert.Bind("$rule", Never).Bind("$jid", jid.ToString()).ExecuteNonQuery();
        }
    }
}
