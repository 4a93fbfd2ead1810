using System.Text;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// An <see cref="ArchiveQuery"/> as PostgreSQL statements: each names only the filters it uses, so the
/// planner picks the (owner, with_jid, id), (owner, thread, id) or (owner, id) index and walks it from
/// the anchor. Paging goes backward (newest first, reversed afterwards) for Before and LastPage.
/// </summary>
internal sealed class PostgresArchiveQuery
{
    public const string Columns = "id, with_jid, stamp, outgoing, thread, xml";

    private readonly ArchiveQuery _query;

    public PostgresArchiveQuery(ArchiveQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Owner);
        _query = query;
        Owner = query.Owner.Bare;
        With = query.With?.Bare;

        // One row past the page tells whether the page is the last one in its direction.
        Limit = Math.Max(0, query.Max) + 1L;
        Backward = query.Before is not null || query.LastPage;
    }

    public Jid Owner { get; }

    public Jid? With { get; }

    public long Limit { get; }

    public bool Backward { get; }

    public bool Flip => _query.Flip;

    public string? After => _query.After;

    public string? Before => _query.Before;

    /// <summary>The page, nearest the anchor first, between the resolved anchor ids (0: none).</summary>
    public PostgresStatement Page(long after, long before)
    {
        var values = new List<object?>();
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(' ');
        Where(sql, values);
        if (after > 0)
        {
            values.Add(after);
            sql.Append(" AND id > $").Append(values.Count);
        }

        if (before > 0)
        {
            values.Add(before);
            sql.Append(" AND id < $").Append(values.Count);
        }

        values.Add(Limit);
        sql.Append(" ORDER BY id ").Append(Backward ? "DESC" : "ASC").Append(" LIMIT $").Append(values.Count);
        return new PostgresStatement(sql.ToString(), values.ToArray());
    }

    /// <summary>How many rows match the filters, ignoring the paging bounds.</summary>
    public PostgresStatement Count()
    {
        var values = new List<object?>();
        var sql = new StringBuilder("SELECT count(*) ");
        Where(sql, values);
        return new PostgresStatement(sql.ToString(), values.ToArray());
    }

    private void Where(StringBuilder sql, List<object?> values)
    {
        values.Add(Owner.ToString());
        sql.Append("FROM archive_messages WHERE owner = $1");
        Add(sql, values, With?.ToString(), "with_jid = $");
        Add(sql, values, _query.Start?.ToUnixTimeMilliseconds(), "stamp >= $");
        Add(sql, values, _query.End?.ToUnixTimeMilliseconds(), "stamp <= $");
        Add(sql, values, _query.Thread, "thread = $");
        if (_query.Ids is { } ids)
        {
            // Ids this store cannot have issued match nothing.
            var parsed = new List<long>(ids.Count);
            foreach (var text in ids)
            {
                if (ArchiveId.TryParse(text, out var id))
                {
                    parsed.Add(id);
                }
            }

            Add(sql, values, parsed.ToArray(), "id = ANY ($");
            sql.Append(')');
        }
    }

    private static void Add(StringBuilder sql, List<object?> values, object? value, string condition)
    {
        if (value is null)
        {
            return;
        }

        values.Add(value);
        sql.Append(" AND ").Append(condition).Append(values.Count);
    }
}
