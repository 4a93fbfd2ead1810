using System.Text;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>The SQL of each <see cref="ArchiveQueryShape"/>.</summary>
internal static class ArchiveQuerySql
{
    public const string Columns = "id, with_jid, stamp, outgoing, thread, xml";

    private const ArchiveQueryShape Filters = ArchiveQueryShape.With | ArchiveQueryShape.Start | ArchiveQueryShape.End
        | ArchiveQueryShape.Thread | ArchiveQueryShape.Ids;

    private const string CountAll = "SELECT COALESCE((SELECT messages FROM archive_owners WHERE owner = $owner), 0)";

    private const int Shapes = (int)ArchiveQueryShape.Chronological << 1;

    private static readonly string?[] Pages = new string?[Shapes];
    private static readonly string?[] Counts = new string?[Shapes];

    /// <summary>Up to $limit rows from the anchor in the paging direction (nearest first), bound as the shape says.</summary>
    public static string Page(ArchiveQueryShape shape) => Pages[(int)shape] ??= BuildPage(shape);

    /// <summary>How many rows match the filters, ignoring the paging bounds.</summary>
    public static string Count(ArchiveQueryShape shape)
    {
        var filters = shape & Filters;
        return filters == ArchiveQueryShape.None ? CountAll : Counts[(int)filters] ??= "SELECT COUNT(*) " + Where(filters);
    }

    private static string BuildPage(ArchiveQueryShape shape)
    {
        var order = shape.HasFlag(ArchiveQueryShape.Backward) ? "DESC" : "ASC";

        // Chronological: every owner index ends in (stamp, rowid), so this order is its own and the
        // anchors' row values are a range of it - no sort, however large the archive.
        return shape.HasFlag(ArchiveQueryShape.Chronological)
            ? $"SELECT {Columns} {Where(shape)} ORDER BY stamp {order}, id {order} LIMIT $limit"
            : $"SELECT {Columns} {Where(shape)} ORDER BY id {order} LIMIT $limit";
    }

    private static string Where(ArchiveQueryShape shape)
    {
        var sql = new StringBuilder("FROM archive_messages WHERE owner = $owner");
        Append(sql, shape, ArchiveQueryShape.With, " AND with_jid = $with");
        Append(sql, shape, ArchiveQueryShape.Start, " AND stamp >= $start");
        Append(sql, shape, ArchiveQueryShape.End, " AND stamp <= $end");
        Append(sql, shape, ArchiveQueryShape.Thread, " AND thread = $thread");
        Append(sql, shape, ArchiveQueryShape.Ids, " AND id IN (SELECT value FROM json_each($ids))");
        if (shape.HasFlag(ArchiveQueryShape.Chronological))
        {
            Append(sql, shape, ArchiveQueryShape.After, " AND (stamp, id) > ($after_stamp, $after)");
            Append(sql, shape, ArchiveQueryShape.Before, " AND (stamp, id) < ($before_stamp, $before)");
        }
        else
        {
            Append(sql, shape, ArchiveQueryShape.After, " AND id > $after");
            Append(sql, shape, ArchiveQueryShape.Before, " AND id < $before");
        }

        return sql.ToString();
    }

    private static void Append(StringBuilder sql, ArchiveQueryShape shape, ArchiveQueryShape flag, string condition)
    {
        if (shape.HasFlag(flag))
        {
            sql.Append(condition);
        }
    }
}
