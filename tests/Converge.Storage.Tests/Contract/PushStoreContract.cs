using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Contract;

/// <summary>Push registrations (XEP-0357): one per app server and node, replaced on enable, removed by node or by app server.</summary>
public abstract class PushStoreContract : IAsyncLifetime
{
    private static readonly Jid Alice = Jid.Parse("alice@a.example");
    private static readonly Jid Bob = Jid.Parse("bob@a.example");

    private readonly IStoreDatabase _db;

    protected PushStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_registration_survives_reopening_and_enabling_again_replaces_it()
    {
        var stores = await _db.OpenAsync();
        await stores.Push.SaveAsync(Alice, new PushRegistrationRow("push.example", "node-1", "phone", "<x xmlns='jabber:x:data'/>"));
        await stores.Push.SaveAsync(Alice, new PushRegistrationRow("push.example", "node-1", "phone2", ""));
        await stores.Push.SaveAsync(Alice.WithResource("ignored"), new PushRegistrationRow("push.example", "node-2", "tablet", ""));

        var reopened = await (await _db.OpenAsync()).Push.GetAsync(Alice);
        Assert.Equal(
            [new PushRegistrationRow("push.example", "node-1", "phone2", ""), new PushRegistrationRow("push.example", "node-2", "tablet", "")],
            reopened);
        Assert.Empty(await stores.Push.GetAsync(Bob));
    }

    [Fact]
    public async Task Disable_removes_one_node_or_every_node_of_that_app_server_of_that_owner_only()
    {
        var stores = await _db.OpenAsync();
        await stores.Push.SaveAsync(Alice, new PushRegistrationRow("push.example", "n1", "r", ""));
        await stores.Push.SaveAsync(Alice, new PushRegistrationRow("push.example", "n2", "r", ""));
        await stores.Push.SaveAsync(Alice, new PushRegistrationRow("other.example", "n1", "r", ""));
        await stores.Push.SaveAsync(Bob, new PushRegistrationRow("push.example", "n1", "r", ""));

        await stores.Push.RemoveAsync(Alice, "push.example", "n1");
        Assert.Equal(["push.example n2", "other.example n1"], (await stores.Push.GetAsync(Alice)).Select(r => $"{r.Service} {r.Node}").OrderDescending(StringComparer.Ordinal));

        await stores.Push.RemoveAsync(Alice, "push.example", null);
        Assert.Equal(["other.example n1"], (await stores.Push.GetAsync(Alice)).Select(r => $"{r.Service} {r.Node}"));
        Assert.Single(await stores.Push.GetAsync(Bob));
    }
}

public sealed class SqlitePushStoreTests() : PushStoreContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresPushStoreTests(PostgresServer server) : PushStoreContract(new TempPostgresDatabase(server, nameof(PostgresPushStoreTests)));
