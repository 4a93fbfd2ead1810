using System.Text.Json.Nodes;
using Converge.Interop.Durability;
using Converge.Interop.GroupChat;
using Converge.Interop.Pep;
using Converge.Interop.Support;
using Converge.Interop.Web;
using Npgsql;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>
/// Real clients against <c>converge serve</c> on <c>Storage.Provider: Postgres</c>: the users were
/// added by the CLI into an empty database, and login, roster, presence, messages, offline storage,
/// blocking, the archive, PEP, persistent rooms and uploads behave as they do on SQLite - with the data in PostgreSQL, not in a file.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageScenarioTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_slixmpp_users_chat_get_offline_messages_and_block_on_postgres()
    {
        var connectionString = await postgres.DatabaseAsync("interop_two_users");
        await using var server = await OnPostgres(connectionString, ["alice", "bob"]).StartAsync();

        await TwoSlixmppUsersTests.TwoUsersAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM roster_items WHERE state = 'both'", atLeast: 2);
    }

    [Fact]
    public async Task Slixmpp_pages_the_archive_on_postgres_by_the_stanza_ids_it_received()
    {
        var connectionString = await postgres.DatabaseAsync("interop_archive");
        await using var server = await OnPostgres(connectionString, ["alice", "bob", "dave"]).StartAsync();

        await ArchiveWithRealClientsTests.SlixmppPagesTheArchiveAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM archive_messages", atLeast: 1000);
    }

    [Fact]
    public async Task Pep_items_and_node_access_survive_sigkill_on_postgres()
    {
        var connectionString = await postgres.DatabaseAsync("interop_pep");
        await using var server = await OnPostgres(connectionString, ["alice", "bob", "carol"]).StartAsync();

        await PepAcrossRestartTests.SurviveSigkillAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM pep_items", atLeast: 2);
    }

    [Fact]
    public async Task Sigkill_mid_burst_then_resending_leaves_each_message_archived_once_on_postgres()
    {
        // Archive ids handed out before the commit, and origin-id de-duplication, on PostgreSQL.
        var connectionString = await postgres.DatabaseAsync("interop_resend");
        await using var server = await OnPostgres(connectionString, ["alice", "bob"]).StartAsync();

        await DeliverBeforeCommitTests.KillMidBurstAndResendAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM archive_messages WHERE origin_key IS NOT NULL", atLeast: 4000);
    }

    [Fact]
    public async Task Uploads_quota_and_slot_rules_hold_across_a_restart_on_postgres()
    {
        var connectionString = await postgres.DatabaseAsync("interop_upload");
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob"],
            ExtraConfig = new JsonObject
            {
                ["Storage"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
                ["Upload"] = FileUploadTests.UploadConfig(),
            },
        }.StartAsync();

        await FileUploadTests.UploadAcrossRestartAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM upload_slots WHERE uploaded_at IS NOT NULL", atLeast: 2);
    }

    [Fact]
    public async Task Pep_events_access_models_and_bookmark_conversion_work_on_postgres()
    {
        var connectionString = await postgres.DatabaseAsync("interop_pep_contacts");
        await using var server = await OnPostgres(connectionString, ["alice", "bob", "carol"]).StartAsync();

        await PepBetweenContactsTests.BetweenContactsAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM pep_nodes WHERE node = 'urn:xmpp:bookmarks:1'", atLeast: 1);
    }

    [Fact]
    public async Task A_persistent_room_its_affiliations_and_archive_survive_sigkill_on_postgres()
    {
        var connectionString = await postgres.DatabaseAsync("interop_muc");
        await using var server = await OnPostgres(connectionString, ["alice", "bob", "carol"]).StartAsync();

        await PersistentRoomRestartTests.SurviveSigkillAsync(server, output);

        await AssertStoredInPostgresAsync(server, connectionString, "SELECT count(*) FROM muc_affiliations", atLeast: 2);
    }

    private static ConvergeServer OnPostgres(string connectionString, IReadOnlyList<string> users) => new()
    {
        Users = users,
        ExtraConfig = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connectionString },
        },
    };

    private static async Task AssertStoredInPostgresAsync(ConvergeServer server, string connectionString, string countSql, long atLeast)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(countSql, connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= atLeast, $"{countSql} < {atLeast}");
        var dataDirectory = Path.Combine(Path.GetDirectoryName(server.ConfigPath)!, "data");
        Assert.False(File.Exists(Path.Combine(dataDirectory, "converge.db")), "the server wrote a SQLite file although Storage.Provider is Postgres");
    }
}
