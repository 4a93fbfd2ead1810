using System.Globalization;
using System.Text;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// An <see cref="ArchiveQuery"/> in column terms: bare JIDs, Unix milliseconds, parsed ids, and the
/// shape that picks its SQL. Paging goes backward (newest first, reversed afterwards) for Before
/// and LastPage; After and Before both bound the range when both are given.
/// </summary>
internal sealed class ArchiveRequest
{
    private ArchiveRequest(ArchiveQuery query)
    {
        Owner = query.Owner.Bare;
        With = query.With?.Bare;
        Start = query.Start?.ToUnixTimeMilliseconds();
        End = query.End?.ToUnixTimeMilliseconds();
        Thread = query.Thread;
        IdsJson = query.Ids is null ? null : IdsAsJson(query.Ids);
        After = query.After;
        Before = query.Before;

        // One row past the page tells whether the page is the last one in its direction.
        Limit = Math.Max(0, query.Max) + 1L;
        Flip = query.Flip;
        Shape = (With is null ? 0 : ArchiveQueryShape.With)
            | (Start is null ? 0 : ArchiveQueryShape.Start)
            | (End is null ? 0 : ArchiveQueryShape.End)
            | (Thread is null ? 0 : ArchiveQueryShape.Thread)
            | (IdsJson is null ? 0 : ArchiveQueryShape.Ids)
            | (After is null ? 0 : ArchiveQueryShape.After)
            | (Before is null ? 0 : ArchiveQueryShape.Before)
            | (Before is not null || query.LastPage ? ArchiveQueryShape.Backward : 0);
    }

    public Jid Owner { get; }

    public Jid? With { get; }

    public long? Start { get; }

    public long? End { get; }

    public string? Thread { get; }

    /// <summary>The ids filter as a JSON array for json_each; ids this store cannot have issued are left out.</summary>
    public string? IdsJson { get; }

    public string? After { get; }

    public string? Before { get; }

    public long Limit { get; }

    public bool Flip { get; }

    public ArchiveQueryShape Shape { get; }

    public bool Backward => Shape.HasFlag(ArchiveQueryShape.Backward);

    public static ArchiveRequest From(ArchiveQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Owner);
        return new ArchiveRequest(query);
    }

    /// <summary>Binds the parameters that <paramref name="shape"/> uses.</summary>
    public SqliteCommand Bind(SqliteCommand command, ArchiveQueryShape shape, in ArchiveIdBounds bounds)
    {
        command.Bind("$owner", Owner.ToString());
        BindIf(command, shape, ArchiveQueryShape.With, "$with", With?.ToString());
        BindIf(command, shape, ArchiveQueryShape.Start, "$start", Start);
        BindIf(command, shape, ArchiveQueryShape.End, "$end", End);
        BindIf(command, shape, ArchiveQueryShape.Thread, "$thread", Thread);
        BindIf(command, shape, ArchiveQueryShape.Ids, "$ids", IdsJson);
        BindIf(command, shape, ArchiveQueryShape.After, "$after", bounds.After);
        BindIf(command, shape, ArchiveQueryShape.Before, "$before", bounds.Before);
        if (shape.HasFlag(ArchiveQueryShape.Chronological))
        {
            BindIf(command, shape, ArchiveQueryShape.After, "$after_stamp", bounds.AfterStamp);
            BindIf(command, shape, ArchiveQueryShape.Before, "$before_stamp", bounds.BeforeStamp);
        }

        return command;
    }

    private static void BindIf(SqliteCommand command, ArchiveQueryShape shape, ArchiveQueryShape flag, string name, object? value)
    {
        if (shape.HasFlag(flag))
        {
            command.Bind(name, value);
        }
    }

    private static string IdsAsJson(IReadOnlyCollection<string> ids)
    {
        var json = new StringBuilder("[");
        foreach (var text in ids)
        {
            if (ArchiveId.TryParse(text, out var id))
            {
                json.Append(json.Length == 1 ? "" : ",").Append(id.ToString(CultureInfo.InvariantCulture));
            }
        }

        return json.Append(']').ToString();
    }
}
