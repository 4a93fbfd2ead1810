using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Sqlite.TestData;

namespace Converge.Storage.Tests.Contract;

public abstract class PepAndPrivateXmlContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected PepAndPrivateXmlContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Nodes_and_items_come_back_per_owner_oldest_first_after_reopening()
    {
        var stores = await _db.OpenAsync();
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:mood", "presence", true, 5, []));
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:devices", "open", true, 1, []));
        await stores.Pep.SaveItemAsync(Alice, "urn:mood", new PepItemRow("b", 20, "<b/>"), 5);
        await stores.Pep.SaveItemAsync(Alice, "urn:mood", new PepItemRow("a", 10, "<a/>"), 5);
        await stores.Pep.SaveNodeAsync(Bob, new PepNodeRow("urn:mood", "presence", true, 1, []));

        var reopened = await _db.OpenAsync(); // a second connection: only what was committed to the file
        var nodes = await reopened.Pep.LoadAsync(Alice);

        Assert.Equal(["urn:devices", "urn:mood"], nodes.Select(n => n.Node));
        Assert.Equal(("open", true, 1), (nodes[0].AccessModel, nodes[0].PersistItems, nodes[0].MaxItems));
        Assert.Equal(["a", "b"], nodes[1].Items.Select(i => i.Id));
        Assert.Equal("<a/>", nodes[1].Items[0].PayloadXml);
        Assert.Empty((await reopened.Pep.LoadAsync(Bob)).Single().Items);
    }

    [Fact]
    public async Task Node_affiliations_are_set_replaced_removed_and_go_with_their_node()
    {
        var stores = await _db.OpenAsync();
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:private", "whitelist", true, 5, []));
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:other", "whitelist", true, 5, []));
        await stores.Pep.SaveAffiliationAsync(Alice, "urn:private", Bob, "member");
        await stores.Pep.SaveAffiliationAsync(Alice, "urn:private", Core.Addressing.Jid.Parse("carol@example.com/phone"), "outcast");
        await stores.Pep.SaveAffiliationAsync(Alice, "urn:other", Bob, "publisher");
        await stores.Pep.SaveAffiliationAsync(Alice, "urn:private", Bob, "publisher"); // replaces member

        var reopened = await _db.OpenAsync();
        Assert.Equal(
            [("urn:other", Bob.Bare.ToString(), "publisher"), ("urn:private", Bob.Bare.ToString(), "publisher"), ("urn:private", "carol@example.com", "outcast")],
            (await reopened.Pep.LoadAffiliationsAsync(Alice)).Select(a => (a.Node, a.Jid, a.Affiliation)));
        Assert.Empty(await reopened.Pep.LoadAffiliationsAsync(Bob));

        await stores.Pep.SaveAffiliationAsync(Alice, "urn:private", Bob, "none");
        await stores.Pep.DeleteNodeAsync(Alice, "urn:other");
        Assert.Equal([("urn:private", "carol@example.com", "outcast")], (await stores.Pep.LoadAffiliationsAsync(Alice)).Select(a => (a.Node, a.Jid, a.Affiliation)));
    }

    [Fact]
    public async Task Saving_an_item_keeps_only_the_newest_and_the_same_id_replaces()
    {
        var stores = await _db.OpenAsync();
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("n", "presence", true, 2, []));
        for (var i = 1; i <= 4; i++)
        {
            await stores.Pep.SaveItemAsync(Alice, "n", new PepItemRow("item" + i, i, $"<p>{i}</p>"), 2);
        }

        await stores.Pep.SaveItemAsync(Alice, "n", new PepItemRow("item3", 9, "<p>again</p>"), 2);

        var items = (await stores.Pep.LoadAsync(Alice)).Single().Items;
        Assert.Equal(["item4", "item3"], items.Select(i => i.Id));
        Assert.Equal("<p>again</p>", items[1].PayloadXml);
    }

    [Fact]
    public async Task Retract_purge_delete_and_turning_persistence_off_remove_what_they_should()
    {
        var stores = await _db.OpenAsync();
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("keep", "presence", true, 5, []));
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("gone", "presence", true, 5, []));
        foreach (var node in new[] { "keep", "gone" })
        {
            await stores.Pep.SaveItemAsync(Alice, node, new PepItemRow("x", 1, "<x/>"), 5);
            await stores.Pep.SaveItemAsync(Alice, node, new PepItemRow("y", 2, "<y/>"), 5);
        }

        await stores.Pep.DeleteItemAsync(Alice, "keep", "x");
        Assert.Equal(["y"], (await stores.Pep.LoadAsync(Alice)).Single(n => n.Node == "keep").Items.Select(i => i.Id));

        await stores.Pep.DeleteNodeAsync(Alice, "gone");
        Assert.Equal(["keep"], (await stores.Pep.LoadAsync(Alice)).Select(n => n.Node));

        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("keep", "whitelist", false, 5, []));
        var kept = (await stores.Pep.LoadAsync(Alice)).Single();
        Assert.Equal(("whitelist", false), (kept.AccessModel, kept.PersistItems));
        Assert.Empty(kept.Items);
    }

    [Fact]
    public async Task Private_xml_is_kept_per_owner_name_and_namespace_and_replaced_on_set()
    {
        var stores = await _db.OpenAsync();
        await stores.PrivateXml.SetAsync(Alice, "storage", "storage:bookmarks", "<storage xmlns='storage:bookmarks'/>");
        await stores.PrivateXml.SetAsync(Alice, "storage", "storage:bookmarks", "<storage xmlns='storage:bookmarks'><url/></storage>");
        await stores.PrivateXml.SetAsync(Alice, "prefs", "urn:example", "<prefs xmlns='urn:example'/>");

        Assert.Equal("<storage xmlns='storage:bookmarks'><url/></storage>", await stores.PrivateXml.GetAsync(Alice, "storage", "storage:bookmarks"));
        Assert.Null(await stores.PrivateXml.GetAsync(Alice, "storage", "urn:other"));
        Assert.Null(await stores.PrivateXml.GetAsync(Bob, "storage", "storage:bookmarks"));
    }
}

public sealed class SqlitePepStoreTests() : PepAndPrivateXmlContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresPepStoreTests(PostgresServer server) : PepAndPrivateXmlContract(new TempPostgresDatabase(server, nameof(PostgresPepStoreTests)));
