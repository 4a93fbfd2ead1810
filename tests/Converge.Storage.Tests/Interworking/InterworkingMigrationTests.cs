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
        CreateAtVersion(3, """
            INSERT INTO accounts (jid, msisdn, email, cpm, roaming_cpm) VALUES ('mary@a.example', '+4915100000001', NULL, 1, 0);
            INSERT INTO offline_messages (owner, stored, xml) VALUES ('mary@a.example', 0, '<message id=''kept''/>');
            INSERT INTO archive_messages (owner, with_jid, stamp, outgoing, thread, xml)
                VALUES ('mary@a.example', 'bob@b.example', 0, 1, NULL, '<message id=''archived''/>');
            INSERT INTO number_aliases (owner, contact) VALUES ('mary@a.example', 'bob@b.example');
            """);

        var stores = await _db.OpenAsync();

        Assert.Equal((long)SchemaMigrations.Latest, RawSql.Scalar(_db.Path, "SELECT MAX(version) FROM schema_version"));
        Assert.NotNull(await stores.Accounts.FindByMsisdnAsync("+4915100000001"));
        Assert.Equal("<message id='kept'/>", Assert.Single(await stores.Offline.PeekAllAsync(Mary, 10)).StanzaXml);
        Assert.Equal(1, (await stores.Archive.QueryAsync(new ArchiveQuery(Mary))).Count);
        Assert.Single(await stores.NumberAliases.ContactsAsync(Mary));

        var id = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "{}", Noon);
        Assert.Equal(id, Assert.Single(await stores.Outbox.PendingAsync(10)).Id);
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-1", Noon));
        Assert.NotNull(await stores.ThreadMap.FindBindingAsync(PoolA, Peter));
    }

    [Fact]
    public async Task A_version_6_database_moves_each_email_threads_latest_mail_out_of_the_message_id_map()
    {
        // What version 6 wrote: Mary mailed Peter twice in t1 (the second mail kept the first's
        // latest row as its subject) and Peter answered her once in t2; Paul mailed Petra once.
        CreateAtVersion(6, """
            INSERT INTO email_message_ids (message_id, cpm_user, legacy_address, thread, subject) VALUES
                ('t1.1@converge.example', 'mary@a.example', 'peter@mail.example', 't1', 'Lunch?'),
                ('t1.2@converge.example', 'mary@a.example', 'peter@mail.example', 't1', 'Lunch?' || char(10) || 't1.1@converge.example'),
                ('latest:t1:peter@mail.example', 'mary@a.example', 'peter@mail.example', 't1',
                    'Lunch?' || char(10) || 't1.1@converge.example' || char(10) || 't1.2@converge.example'),
                ('t2.1@converge.example', 'mary@a.example', 'peter@mail.example', 't2', 'Dinner?'),
                ('latest:t2:peter@mail.example', 'mary@a.example', 'peter@mail.example', 't2', 'Dinner?' || char(10) || '<answer@mail.example>'),
                ('t3.1@converge.example', 'paul@a.example', 'petra@mail.example', 't3', NULL),
                ('latest:t3:petra@mail.example', 'paul@a.example', 'petra@mail.example', 't3', 'Message' || char(10) || 't3.1@converge.example');
            """);

        var stores = await _db.OpenAsync();

        Assert.Equal((long)SchemaMigrations.Latest, RawSql.Scalar(_db.Path, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(new EmailThread(Mary, "peter@mail.example", "t1", "Lunch?", "t1.2@converge.example"), await stores.ThreadMap.FindEmailThreadAsync(Mary, "peter@mail.example", "t1"));
        Assert.Equal(new EmailThread(Mary, "peter@mail.example", "t2", "Dinner?", "<answer@mail.example>"), await stores.ThreadMap.FindEmailThreadAsync(Mary, "peter@mail.example", "t2"));
        Assert.Equal(new EmailThread(Paul, "petra@mail.example", "t3", "Message", "t3.1@converge.example"), await stores.ThreadMap.FindEmailThreadAsync(Paul, "petra@mail.example", "t3"));

        Assert.Equal(0L, RawSql.Scalar(_db.Path, "SELECT COUNT(*) FROM email_message_ids WHERE message_id LIKE 'latest:%' OR instr(subject, char(10)) > 0"));
        Assert.Equal(new MessageIdBinding("t1.2@converge.example", Mary, "peter@mail.example", "t1", "Lunch?"), await stores.ThreadMap.FindMessageIdAsync("t1.2@converge.example"));
        Assert.Equal(new MessageIdBinding("t3.1@converge.example", Paul, "petra@mail.example", "t3", null), await stores.ThreadMap.FindMessageIdAsync("t3.1@converge.example"));
    }

    /// <summary>A database the way an older Converge left it: migrated to <paramref name="version"/>, holding <paramref name="rows"/>.</summary>
    private void CreateAtVersion(int version, string rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        using var session = SqliteConnectionFactory.OpenWriter(_db.Path, new SqliteStoreOptions());
        Assert.Equal(version, SchemaMigrator.Migrate(session, [.. SchemaMigrations.All.Take(version)]));
        session.ExecuteOnce(rows);
    }
}
