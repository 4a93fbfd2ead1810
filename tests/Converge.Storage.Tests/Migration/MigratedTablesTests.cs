using Converge.Storage.Migration;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Migration;

/// <summary>
/// storage migrate copies every table a migration creates: a new table that is not listed in
/// <see cref="MigratedTable.All"/> would silently stay behind on the old provider.
/// </summary>
public sealed class MigratedTablesTests : IAsyncLifetime
{
    // Kept by the database itself (sequences, versions) or by triggers from the copied rows.
    private static readonly string[] Derived = ["archive_owners", "schema_version", "sqlite_sequence"];

    private readonly TempDatabase _sqlite = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _sqlite.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_table_of_the_latest_sqlite_schema_is_copied_or_derived()
    {
        await _sqlite.OpenAsync();
        var tables = ((string)(await _sqlite.ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"))!)
            .Split(',');

        var copied = MigratedTable.All.Select(t => t.Name).ToHashSet();
        Assert.Equal(Derived, tables.Where(t => !copied.Contains(t)).Order());
        Assert.Subset(tables.ToHashSet(), copied);
    }
}
