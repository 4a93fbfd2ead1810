namespace Converge.Storage.Migration;

/// <summary>
/// A table copied by <c>storage migrate</c>: its columns, and the order rows are read in - the same
/// on every run, so a resumed copy can skip exactly the rows already copied.
/// </summary>
/// <param name="Name">The table, named alike in both providers.</param>
/// <param name="Columns">The columns copied, with how each is carried.</param>
/// <param name="OrderBy">The key order (a total order on the rows).</param>
/// <param name="SqliteOrder">Overrides <paramref name="OrderBy"/> on SQLite where the insertion order is the rowid.</param>
/// <param name="PostgresOrder">Likewise on PostgreSQL, where it is the seq column.</param>
/// <param name="Identity">A column whose values come from a sequence: copied as is, the target's sequence then set past them.</param>
internal sealed record MigratedTable(
    string Name,
    IReadOnlyList<(string Name, ColumnKind Kind)> Columns,
    string OrderBy,
    string? SqliteOrder = null,
    string? PostgresOrder = null,
    string? Identity = null)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>Every table of the current schemas, parents before the tables whose foreign keys name them.</summary>
    public static IReadOnlyList<MigratedTable> All { get; } =
    [
        new("accounts", [("jid", ColumnKind.Text), ("msisdn", ColumnKind.Text), ("email", ColumnKind.Text), ("cpm", ColumnKind.Boolean), ("roaming_cpm", ColumnKind.Boolean), ("locked", ColumnKind.Boolean)], "jid"),
        new("scram_credentials",
            [("jid", ColumnKind.Text), ("hash", ColumnKind.Text), ("salt", ColumnKind.Bytes), ("iterations", ColumnKind.Int32), ("stored_key", ColumnKind.Bytes), ("server_key", ColumnKind.Bytes)],
            "jid, hash"),
        new("account_changes", [("seq", ColumnKind.Int64), ("jid", ColumnKind.Text)], "seq", Identity: "seq"),
        new("roster_items",
            [("owner", ColumnKind.Text), ("contact", ColumnKind.Text), ("name", ColumnKind.Text), ("groups", ColumnKind.Text), ("state", ColumnKind.Text),
             ("approved", ColumnKind.Boolean), ("in_roster", ColumnKind.Boolean)],
            "owner, contact"),
        new("roster_versions", [("owner", ColumnKind.Text), ("version", ColumnKind.Int64)], "owner"),
        new("offline_messages", [("id", ColumnKind.Int64), ("owner", ColumnKind.Text), ("stored", ColumnKind.Int64), ("xml", ColumnKind.Text)], "id", Identity: "id"),
        new("block_list", [("owner", ColumnKind.Text), ("item", ColumnKind.Text)], "owner, item", SqliteOrder: "rowid", PostgresOrder: "seq"),
        new("vcards", [("owner", ColumnKind.Text), ("xml", ColumnKind.Text)], "owner"),
        new("archive_messages",
            [("id", ColumnKind.Int64), ("owner", ColumnKind.Text), ("with_jid", ColumnKind.Text), ("stamp", ColumnKind.Int64), ("outgoing", ColumnKind.Boolean),
             ("thread", ColumnKind.Text), ("xml", ColumnKind.Text), ("origin_key", ColumnKind.Text)],
            "id",
            Identity: "id"),
        new("archive_preferences", [("owner", ColumnKind.Text), ("default_mode", ColumnKind.Text)], "owner"),
        new("archive_preference_jids", [("owner", ColumnKind.Text), ("rule", ColumnKind.Text), ("jid", ColumnKind.Text)], "owner, rule, jid",
            SqliteOrder: "rowid", PostgresOrder: "seq"),
        new("number_aliases", [("owner", ColumnKind.Text), ("contact", ColumnKind.Text)], "owner, contact"),
        new("outbox",
            [("id", ColumnKind.Int64), ("lane", ColumnKind.Text), ("channel", ColumnKind.Text), ("payload", ColumnKind.Text), ("attempts", ColumnKind.Int32),
             ("next_attempt", ColumnKind.Int64), ("created", ColumnKind.Int64)],
            "id",
            Identity: "id"),
        new("thread_bindings",
            [("pool_number", ColumnKind.Text), ("legacy_address", ColumnKind.Text), ("cpm_user", ColumnKind.Text), ("thread", ColumnKind.Text), ("last_used", ColumnKind.Int64)],
            "pool_number, legacy_address"),
        new("conversation_activity",
            [("cpm_user", ColumnKind.Text), ("legacy_address", ColumnKind.Text), ("thread", ColumnKind.Text), ("last_used", ColumnKind.Int64)],
            "cpm_user, legacy_address"),
        new("email_message_ids",
            [("message_id", ColumnKind.Text), ("cpm_user", ColumnKind.Text), ("legacy_address", ColumnKind.Text), ("thread", ColumnKind.Text), ("subject", ColumnKind.Text)],
            "message_id"),
        new("email_threads",
            [("cpm_user", ColumnKind.Text), ("legacy_address", ColumnKind.Text), ("thread", ColumnKind.Text), ("subject", ColumnKind.Text), ("latest_message_id", ColumnKind.Text)],
            "cpm_user, legacy_address, thread"),
        new("muc_rooms",
            [("room", ColumnKind.Text), ("configuration", ColumnKind.Text), ("subject", ColumnKind.Text), ("subject_by", ColumnKind.Text), ("salt", ColumnKind.Text)],
            "room"),
        new("muc_affiliations", [("room", ColumnKind.Text), ("jid", ColumnKind.Text), ("affiliation", ColumnKind.Int32)], "room, jid"),
        new("pep_nodes",
            [("owner", ColumnKind.Text), ("node", ColumnKind.Text), ("access_model", ColumnKind.Text), ("persist_items", ColumnKind.Boolean), ("max_items", ColumnKind.Int32)],
            "owner, node"),
        new("pep_items",
            [("owner", ColumnKind.Text), ("node", ColumnKind.Text), ("item_id", ColumnKind.Text), ("published", ColumnKind.Int64), ("payload", ColumnKind.Text)],
            "owner, node, item_id"),
        new("pep_affiliations",
            [("owner", ColumnKind.Text), ("node", ColumnKind.Text), ("jid", ColumnKind.Text), ("affiliation", ColumnKind.Text)],
            "owner, node, jid"),
        new("private_xml", [("owner", ColumnKind.Text), ("name", ColumnKind.Text), ("ns", ColumnKind.Text), ("xml", ColumnKind.Text)], "owner, name, ns"),
        new("upload_slots",
            [("slot", ColumnKind.Text), ("owner", ColumnKind.Text), ("file_name", ColumnKind.Text), ("size", ColumnKind.Int64), ("content_type", ColumnKind.Text),
             ("created_at", ColumnKind.Int64), ("uploaded_at", ColumnKind.Int64)],
            "slot"),
        new("push_registrations",
            [("owner", ColumnKind.Text), ("service", ColumnKind.Text), ("node", ColumnKind.Text), ("resource", ColumnKind.Text), ("publish_options", ColumnKind.Text)],
            "owner, service, node"),
        new("spam_reports",
            [("id", ColumnKind.Int64), ("reporter", ColumnKind.Text), ("reported", ColumnKind.Text), ("reason", ColumnKind.Text), ("text", ColumnKind.Text), ("at", ColumnKind.Int64)],
            "id",
            Identity: "id"),
        new("blocked_domains", [("domain", ColumnKind.Text), ("added_at", ColumnKind.Int64)], "domain"),
        new("interworking_sessions",
            [("channel", ColumnKind.Text), ("cpm_user", ColumnKind.Text), ("legacy_address", ColumnKind.Text), ("state", ColumnKind.Int32), ("thread", ColumnKind.Text), ("expires", ColumnKind.Int64), ("legacy_jid", ColumnKind.Text)],
            "channel, cpm_user, legacy_address, state"),
        new("sms_parts",
            [("outbox_id", ColumnKind.Int64), ("part", ColumnKind.Int32), ("parts", ColumnKind.Int32), ("reference", ColumnKind.Int32), ("message_id", ColumnKind.Text), ("source", ColumnKind.Text), ("destination", ColumnKind.Text), ("notify", ColumnKind.Text), ("delivered", ColumnKind.Boolean), ("at", ColumnKind.Int64)],
            "outbox_id, part"),
        new("sms_unmatched_receipts",
            [("message_id", ColumnKind.Text), ("handset", ColumnKind.Text), ("provider_number", ColumnKind.Text), ("state", ColumnKind.Int32), ("received_at", ColumnKind.Int64)],
            "message_id"),
    ];

    /// <summary>The current row of a reader over <see cref="ColumnList"/>, each value carried by its column's kind.</summary>
    public object?[] ReadRow(System.Data.Common.DbDataReader reader)
    {
        var row = new object?[Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = Convert(reader.IsDBNull(i) ? null : reader.GetValue(i), Columns[i].Kind);
        }

        return row;
    }

    public static object? Convert(object? value, ColumnKind kind) => value switch
    {
        null or DBNull => null,
        _ => kind switch
        {
            ColumnKind.Boolean => System.Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture),
            ColumnKind.Int32 => System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            ColumnKind.Int64 => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        },
    };
}
