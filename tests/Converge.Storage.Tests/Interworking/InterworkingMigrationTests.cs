using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Storage.Sqlite.Schema;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Interworking.ThreadMapTestData;

namespace Converge.Storage.Tests.Interworking;

public sealed class InterworkingMigrationTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_version_3_database_gains_the_outbox_and_thread_map_and_keeps_its_data()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        using (var session = SqliteConnectionFactory.OpenWriter(_db.Path, new SqliteStoreOptions()))
        {
            Assert.Equal(3, SchemaMigrator.Migrate(session, [.. SchemaMigrations.All.Take(3)]));
            session.ExecuteOnce("""
                INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm) VALUES ('mary@a.example', '+4915100000001', NULL, 1, 0);
                INSERT INTO offline_messages (owner, stored, xml) VALUES ('mary@a.example', 0, '<message id=''kept''/>');
                INSERT INTO archive_messages (owner, with_jid, stamp, outgoing, thread, xml)
                    VALUES ('mary@a.example', 'bob@b.example', 0, 1, NULL, '<message id=''archived''/>');
                INSERT INTO number_aliases (owner, contact) VALUES ('mary@a.example', 'bob@b.example');
                """);
        }

        var stores = await _db.OpenAsync();

        Assert.Equal((long)SchemaMigrations.Latest, RawSql.Scalar(_db.Path, "SELECT MAX(version) FROM schema_version"));
        Assert.NotNull(await stores.Accounts.FindByMsisdnAsync("+4915100000001"));
        Assert.Equal("<message id='kept'/>", Assert.Single(await stores.Offline.PeekAllAsync(Mary, 10)).StanzaXml);
        Assert.Equal(1, (await stores.Archive.QueryAsync(new ArchiveQuery(Mary))).Count);
        Assert.Single(await stores.NumberAliases.ContactsAsync(Mary));

        var id = await stores.Outbox.EnqueueAsync("mary>peter", "sms", "{}", Noon);
        Assert.Equal(id, Assert.Single(await stores.Outbox.PendingAsync(10)).Id);
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-1", Noon));
        Assert.NotNull(await stores.ThreadMap.FindBindingAsync(PoolA, Peter));
    }
}
