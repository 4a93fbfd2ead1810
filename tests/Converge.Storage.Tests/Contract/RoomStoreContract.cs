using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Core.Storage;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;

namespace Converge.Storage.Tests.Contract;

public abstract class RoomStoreContract : IAsyncLifetime
{
    private static readonly Jid Room = Jid.Parse("lobby@conference.example");
    private static readonly Jid Alice = Jid.Parse("alice@example");
    private static readonly Jid Bob = Jid.Parse("bob@other.example");

    private readonly IStoreDatabase _db;

    protected RoomStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static StoredRoom Lobby(RoomConfiguration configuration, params (Jid, MucAffiliation)[] affiliations) =>
        new(Room, configuration, "Plans", "Alice", "c2FsdHNhbHRzYWx0c2FsdA==", affiliations.ToDictionary(a => a.Item1, a => a.Item2));

    [Fact]
    public async Task A_saved_room_comes_back_after_reopening_with_its_configuration_subject_and_affiliations()
    {
        var configuration = new RoomConfiguration(Name: "Lobby", Persistent: true, MembersOnly: true, Password: "pw", Whois: "anyone", MaxUsers: 50, HistorySize: 5);
        await using (var stores = await _db.OpenAsync())
        {
            await stores.Rooms.SaveAsync(Lobby(configuration, (Alice, MucAffiliation.Owner), (Bob, MucAffiliation.Outcast)));
        }

        await using var reopened = await _db.OpenAsync();
        var room = Assert.Single(await reopened.Rooms.LoadAllAsync());
        Assert.Equal(Room, room.Room);
        Assert.Equal(configuration, room.Configuration);
        Assert.Equal(("Plans", "Alice"), (room.Subject, room.SubjectBy));
        Assert.Equal(MucAffiliation.Owner, room.Affiliations[Alice]);
        Assert.Equal(MucAffiliation.Outcast, room.Affiliations[Bob]);
    }

    [Fact]
    public async Task Saving_again_replaces_the_affiliations_and_deleting_removes_the_room()
    {
        await using var stores = await _db.OpenAsync();
        await stores.Rooms.SaveAsync(Lobby(new RoomConfiguration(Persistent: true), (Alice, MucAffiliation.Owner), (Bob, MucAffiliation.Member)));
        await stores.Rooms.SaveAsync(Lobby(new RoomConfiguration(Persistent: true), (Alice, MucAffiliation.Owner)));

        Assert.Equal([Alice], (await stores.Rooms.LoadAllAsync()).Single().Affiliations.Keys);

        await stores.Rooms.DeleteAsync(Room);
        Assert.Empty(await stores.Rooms.LoadAllAsync());
    }
}

public sealed class SqliteRoomStoreTests() : RoomStoreContract(new TempDatabase());

[Collection(PostgresCollection.Name)]
public sealed class PostgresRoomStoreTests(PostgresServer server) : RoomStoreContract(new TempPostgresDatabase(server, nameof(PostgresRoomStoreTests)));
