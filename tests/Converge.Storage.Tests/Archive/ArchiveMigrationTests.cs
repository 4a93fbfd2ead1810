using Converge.Core.Storage;
using Converge.Storage.Sqlite;
using Converge.Storage.Sqlite.Schema;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Archive.ArchiveTestData;

namespace Converge.Storage.Tests.Archive;

public sealed class ArchiveMigrationTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_version_1_database_gains_the_archive_and_keeps_its_data()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        using (var session = SqliteConnectionFactory.OpenWriter(_db.Path, new SqliteStoreOptions()))
        {
            Assert.Equal(1, SchemaMigrator.Migrate(session, [SchemaMigrations.All[0]]));
            session.ExecuteOnce("""
                INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm) VALUES ('alice@a.example', '+4915100000001', NULL, 1, 0);
                INSERT INTO offline_messages (owner, stored, xml) VALUES ('alice@a.example', 0, '<message id=''kept''/>');
                INSERT INTO vcards (owner, xml) VALUES ('alice@a.example', '<vCard xmlns=''vcard-temp''/>');
                """);
        }

        var stores = await _db.OpenAsync();

        Assert.Equal((long)SchemaMigrations.Latest, RawSql.Scalar(_db.Path, "SELECT MAX(version) FROM schema_version"));
        Assert.NotNull(await stores.Accounts.FindByMsisdnAsync("+4915100000001"));
        Assert.Equal("<message id='kept'/>", Assert.Single(await stores.Offline.PeekAllAsync(Alice, 10)).StanzaXml);
        Assert.Equal("<vCard xmlns='vcard-temp'/>", await stores.VCards.GetAsync(Alice));
        var stored = await stores.Archive.AppendAsync(Entry(Alice, Bob, 1));
        var page = await stores.Archive.QueryAsync(new ArchiveQuery(Alice));
        Assert.Equal([stored], page.Messages);
        Assert.Equal(1, page.Count);
    }
}
