using System.Text.RegularExpressions;
using Converge.Storage.Sqlite;
using Converge.Storage.Sqlite.Stores;
using Converge.Storage.Tests.Sqlite;
using Xunit.Abstractions;

namespace Converge.Storage.Tests.Archive;

/// <summary>
/// A page must cost the same however large the archive: every statement searches an index that starts
/// at the owner, and pages of an owner whose stamps grow with the ids read it in (stamp, id) order from
/// the anchor instead of sorting what they found. Each archived row is in as few indexes as that allows.
/// </summary>
public sealed partial class ArchiveQueryPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const ArchiveQueryShape Forward = ArchiveQueryShape.Chronological;

    private readonly TempDatabase _db = new();
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await _db.OpenDatabaseAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Shapes as the store runs them for an owner whose stamps grow with the ids (the normal case).</summary>
    public static TheoryData<int> SortFreeShapes => Shapes(
        Forward,
        Forward | ArchiveQueryShape.After,
        Forward | ArchiveQueryShape.Backward,
        Forward | ArchiveQueryShape.Before | ArchiveQueryShape.Backward,
        Forward | ArchiveQueryShape.After | ArchiveQueryShape.Before | ArchiveQueryShape.Backward,
        Forward | ArchiveQueryShape.With,
        Forward | ArchiveQueryShape.With | ArchiveQueryShape.Before | ArchiveQueryShape.Backward,
        Forward | ArchiveQueryShape.Thread | ArchiveQueryShape.After,
        Forward | ArchiveQueryShape.With | ArchiveQueryShape.Thread,
        Forward | ArchiveQueryShape.Start,
        Forward | ArchiveQueryShape.Start | ArchiveQueryShape.End | ArchiveQueryShape.After,
        Forward | ArchiveQueryShape.With | ArchiveQueryShape.Start | ArchiveQueryShape.Backward,
        Forward | ArchiveQueryShape.Thread | ArchiveQueryShape.End | ArchiveQueryShape.Before | ArchiveQueryShape.Backward);

    /// <summary>Shapes that may sort, but only what the owner's index range gave them: an ids list, and owners whose clock stepped back.</summary>
    public static TheoryData<int> BoundedShapes => Shapes(
        Forward | ArchiveQueryShape.Ids,
        ArchiveQueryShape.None,
        ArchiveQueryShape.After | ArchiveQueryShape.Before | ArchiveQueryShape.Backward,
        ArchiveQueryShape.Start,
        ArchiveQueryShape.Start | ArchiveQueryShape.End | ArchiveQueryShape.After,
        ArchiveQueryShape.With | ArchiveQueryShape.Start | ArchiveQueryShape.Backward,
        ArchiveQueryShape.Thread | ArchiveQueryShape.Ids);

    [Theory]
    [MemberData(nameof(SortFreeShapes))]
    public async Task Common_pages_walk_a_stamp_index_from_the_anchor_without_sorting(int shapeBits)
    {
        var shape = (ArchiveQueryShape)shapeBits;
        var page = await Plan(ArchiveQuerySql.Page(shape));

        AssertSearchesIndexes(page);
        Assert.DoesNotContain(page, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        AssertSearchesIndexes(await Plan(ArchiveQuerySql.Count(shape)));
    }

    [Theory]
    [MemberData(nameof(BoundedShapes))]
    public async Task Other_pages_still_search_an_index_of_the_owner(int shapeBits)
    {
        var shape = (ArchiveQueryShape)shapeBits;
        AssertSearchesIndexes(await Plan(ArchiveQuerySql.Page(shape)));
        AssertSearchesIndexes(await Plan(ArchiveQuerySql.Count(shape)));
    }

    [Fact]
    public async Task The_thread_filter_uses_the_partial_thread_index()
    {
        // The index holds only rows with a thread; a plan that no longer proves 'thread IS NOT NULL'
        // would silently fall back to walking every row of the owner.
        foreach (var shape in new[] { Forward | ArchiveQueryShape.Thread | ArchiveQueryShape.After, ArchiveQueryShape.Thread | ArchiveQueryShape.Backward })
        {
            var plan = await Plan(ArchiveQuerySql.Page(shape));
            Assert.Contains(plan, step => step.Contains("archive_messages_by_thread", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Unfiltered_pages_and_time_ranges_walk_the_owner_stamp_index()
    {
        foreach (var shape in new[] { Forward | ArchiveQueryShape.After, Forward | ArchiveQueryShape.Start | ArchiveQueryShape.End | ArchiveQueryShape.Backward })
        {
            var plan = await Plan(ArchiveQuerySql.Page(shape));
            Assert.Contains(plan, step => step.Contains("archive_messages_by_stamp", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_archived_row_is_in_one_index_per_way_of_reading_it_and_no_owner_id_index()
    {
        // Each index costs every archived row a page write: (owner, stamp) is (owner, stamp, id) and
        // serves what (owner, id) did. The partial ones cost only rows with a thread or origin key.
        var indexes = await _database.Readers.ReadAsync(
            static (s, _) =>
            {
                using var command = s.Connection.CreateCommand();
                command.CommandText = "SELECT name FROM pragma_index_list('archive_messages') WHERE origin = 'c' ORDER BY name";
                using var reader = command.ExecuteReader();
                var names = new List<string>();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }

                return names;
            },
            0,
            CancellationToken.None);

        Assert.Equal(["archive_messages_by_origin", "archive_messages_by_stamp", "archive_messages_by_thread", "archive_messages_by_with"], indexes);
    }

    [Fact]
    public async Task Prune_walks_owners_in_order_and_each_owners_old_rows_by_stamp()
    {
        var plan = await Plan(SqliteArchiveStore.SelectPrunable);

        AssertSearchesIndexes(plan);
        Assert.Contains(plan, step => step.Contains("archive_messages_by_stamp", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    // The shape enum is internal; theory data that xunit sees must be public.
    private static TheoryData<int> Shapes(params ArchiveQueryShape[] shapes) => [.. shapes.Select(shape => (int)shape)];

    private static void AssertSearchesIndexes(List<string> plan) =>
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal) && step.Contains("archive_messages", StringComparison.Ordinal));

    private Task<List<string>> Plan(string sql) => _database.Readers.ReadAsync(
        (s, sql) =>
        {
            using var command = s.Connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct())
            {
                command.Bind(name, name == "$ids" ? "[1, 2]" : 1);
            }

            using var reader = command.ExecuteReader();
            var steps = new List<string>();
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }

            output.WriteLine($"{sql}\n  {string.Join("\n  ", steps)}");
            return steps;
        },
        sql,
        CancellationToken.None);

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex Parameter();
}
