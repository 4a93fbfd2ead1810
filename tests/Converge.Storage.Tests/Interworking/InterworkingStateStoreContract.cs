using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Interworking.ThreadMapTestData;

namespace Converge.Storage.Tests.Interworking;

/// <summary>What the interworking function must find again after a restart: sessions, SMS parts, unmatched reports.</summary>
public abstract class InterworkingStateStoreContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected InterworkingStateStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Session_records_survive_a_restart_per_channel_and_state_to_the_millisecond()
    {
        var stores = await _db.OpenAsync();
        var expires = new DateTimeOffset(2025, 3, 1, 13, 0, 0, 456, TimeSpan.FromHours(1));
        var invite = new InterworkingSessionRecord(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.InvitedByUser, "t1", expires, Peter + "@a.example");
        var active = new InterworkingSessionRecord(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.Active, "t0", null, null);
        var mail = new InterworkingSessionRecord(OutboxChannel.Email, "mary@a.example", "peter@mail.example", InterworkingSessionState.InvitedByLegacy, "t2", null, null);
        await Task.WhenAll(
            stores.InterworkingState.SaveSessionAsync(invite),
            stores.InterworkingState.SaveSessionAsync(active),
            stores.InterworkingState.SaveSessionAsync(mail));
        await stores.DisposeAsync();

        var reopened = await _db.OpenAsync();

        var sms = await reopened.InterworkingState.SessionsAsync(OutboxChannel.Sms);
        Assert.Equal([active, invite], sms.OrderBy(r => r.State == InterworkingSessionState.Active ? 0 : 1));
        Assert.Equal(TimeSpan.Zero, sms.Single(r => r.Expires is not null).Expires!.Value.Offset);
        Assert.Equal([mail], await reopened.InterworkingState.SessionsAsync(OutboxChannel.Email));
    }

    [Fact]
    public async Task Saving_a_session_again_replaces_it_and_removing_takes_only_that_state()
    {
        var stores = await _db.OpenAsync();
        var s = stores.InterworkingState;
        await s.SaveSessionAsync(new(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.InvitedByUser, "t1", Noon, null));
        await s.SaveSessionAsync(new(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.InvitedByUser, "t2", Noon.AddMinutes(1), "x"));
        await s.SaveSessionAsync(new(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.Active, "t0", null, null));

        await s.RemoveSessionAsync(OutboxChannel.Sms, "mary@a.example", Peter, InterworkingSessionState.Active);
        await s.RemoveSessionAsync(OutboxChannel.Email, "mary@a.example", Peter, InterworkingSessionState.InvitedByUser);

        var left = Assert.Single(await s.SessionsAsync(OutboxChannel.Sms));
        Assert.Equal(("t2", Noon.AddMinutes(1), "x"), (left.Thread, left.Expires, left.LegacyJid));
    }

    [Fact]
    public async Task Parts_are_found_by_item_in_order_and_by_message_id_and_survive_a_restart()
    {
        var stores = await _db.OpenAsync();
        var s = stores.InterworkingState;
        await s.SavePartAsync(new SmsPartRecord(7, 2, 3, 200, null, PoolA, Peter, "{}", false, Noon));
        await s.SavePartAsync(new SmsPartRecord(7, 1, 3, 200, "1a", PoolA, Peter, "{}", true, Noon));
        await s.SavePartAsync(new SmsPartRecord(8, 1, 1, 5, "2b", PoolA, Petra, null, false, Noon));
        await stores.DisposeAsync();

        var reopened = (await _db.OpenAsync()).InterworkingState;

        Assert.Equal(
            [new SmsPartRecord(7, 1, 3, 200, "1a", PoolA, Peter, "{}", true, Noon), new SmsPartRecord(7, 2, 3, 200, null, PoolA, Peter, "{}", false, Noon)],
            await reopened.PartsAsync(7));
        Assert.Equal(8, (await reopened.FindPartAsync("2b"))!.OutboxId);
        Assert.Null(await reopened.FindPartAsync("2B0"));
        await reopened.SavePartAsync(new SmsPartRecord(7, 2, 3, 200, "1c", PoolA, Peter, "{}", false, Noon));
        Assert.Equal(2, (await reopened.FindPartAsync("1c"))!.Part);
        await reopened.RemovePartsAsync(7);
        Assert.Empty(await reopened.PartsAsync(7));
        Assert.Single(await reopened.PartsAsync(8));
    }

    [Fact]
    public async Task Unmatched_reports_are_found_by_pair_oldest_first_and_by_id_and_expire_with_old_parts()
    {
        var stores = await _db.OpenAsync();
        var s = stores.InterworkingState;
        await s.SaveUnmatchedReceiptAsync(new UnmatchedReceiptRecord("b", "4915112345678", "4930100000001", 2, Noon.AddSeconds(2)));
        await s.SaveUnmatchedReceiptAsync(new UnmatchedReceiptRecord("a", "4915112345678", "4930100000001", 5, Noon.AddSeconds(1)));
        await s.SaveUnmatchedReceiptAsync(new UnmatchedReceiptRecord("c", "4915187654321", "4930100000001", 2, Noon));
        await s.SavePartAsync(new SmsPartRecord(9, 1, 1, 1, "old", PoolA, Peter, null, false, Noon.AddHours(-1)));
        await s.SavePartAsync(new SmsPartRecord(10, 1, 1, 1, "new", PoolA, Peter, null, false, Noon.AddHours(1)));

        Assert.Equal(["a", "b"], (await s.UnmatchedReceiptsAsync("4915112345678", "4930100000001")).Select(r => r.MessageId));
        Assert.Equal(5, (await s.FindUnmatchedReceiptAsync("a"))!.State);
        await s.RemoveUnmatchedReceiptAsync("a");
        Assert.Null(await s.FindUnmatchedReceiptAsync("a"));

        Assert.Equal(2, await s.ExpireSmsTrackingAsync(Noon.AddSeconds(1.5)));
        Assert.Equal(["b"], (await s.UnmatchedReceiptsAsync("4915112345678", "4930100000001")).Select(r => r.MessageId));
        Assert.Null(await s.FindPartAsync("old"));
        Assert.NotNull(await s.FindPartAsync("new"));
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteInterworkingStateStoreTests() : InterworkingStateStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInterworkingStateStoreTests(PostgresServer server) : InterworkingStateStoreContract(new TempPostgresDatabase(server, nameof(PostgresInterworkingStateStoreTests)));
