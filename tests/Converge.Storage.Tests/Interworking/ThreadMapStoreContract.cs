using Converge.Core.Storage;
using Converge.Storage.Tests.Contract;
using Converge.Storage.Tests.Postgres;
using Converge.Storage.Tests.Sqlite;
using static Converge.Storage.Tests.Interworking.ThreadMapTestData;

namespace Converge.Storage.Tests.Interworking;

public abstract class ThreadMapStoreContract : IAsyncLifetime
{
    private readonly IStoreDatabase _db;

    protected ThreadMapStoreContract(IStoreDatabase db) => _db = db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_binding_is_found_by_pool_number_and_correspondent_to_the_millisecond()
    {
        var stores = await _db.OpenAsync();
        var local = new DateTimeOffset(2025, 3, 1, 13, 0, 0, 456, TimeSpan.FromHours(1));

        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-1", local));

        var found = await stores.ThreadMap.FindBindingAsync(PoolA, Peter);
        Assert.Equal(new ThreadBinding(PoolA, Peter, Mary, "thread-1", local), found);
        Assert.Equal(TimeSpan.Zero, found!.LastUsed.Offset);
        Assert.Null(await stores.ThreadMap.FindBindingAsync(PoolB, Peter));
        Assert.Null(await stores.ThreadMap.FindBindingAsync(PoolA, Petra));
    }

    [Fact]
    public async Task Binding_the_same_pool_number_and_correspondent_again_replaces_the_binding()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-1", Noon));

        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Paul, "thread-2", Noon.AddMinutes(1)));

        Assert.Equal(new ThreadBinding(PoolA, Peter, Paul, "thread-2", Noon.AddMinutes(1)), await stores.ThreadMap.FindBindingAsync(PoolA, Peter));
        Assert.Single(await stores.ThreadMap.BindingsForAsync(Peter));
    }

    [Fact]
    public async Task The_bindings_in_use_count_each_pool_number_and_correspondent_pair_once()
    {
        var stores = await _db.OpenAsync();
        Assert.Equal(0, await stores.ThreadMap.CountBindingsAsync());

        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-1", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolB, Peter, Paul, "thread-p", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Petra, Mary, "thread-2", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Paul, "thread-3", Noon.AddMinutes(1)));

        Assert.Equal(3, await stores.ThreadMap.CountBindingsAsync());
    }

    [Fact]
    public async Task A_full_jid_is_bound_as_the_users_bare_jid()
    {
        var stores = await _db.OpenAsync();

        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary.WithResource("phone"), "thread-1", Noon));

        Assert.Equal(Mary, (await stores.ThreadMap.FindBindingAsync(PoolA, Peter))!.CpmUser);
    }

    [Fact]
    public async Task Bindings_for_a_correspondent_are_all_its_pool_numbers_and_no_one_elses()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolB, Peter, Paul, "thread-p", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-m", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Petra, Mary, "thread-other", Noon));

        var bindings = await stores.ThreadMap.BindingsForAsync(Peter);

        Assert.Equal(
            [new ThreadBinding(PoolA, Peter, Mary, "thread-m", Noon), new ThreadBinding(PoolB, Peter, Paul, "thread-p", Noon)],
            bindings.OrderBy(b => b.PoolNumber, StringComparer.Ordinal));
        Assert.Empty(await stores.ThreadMap.BindingsForAsync("+4915100000000"));
    }

    [Fact]
    public async Task Latest_activity_is_kept_per_user_and_correspondent()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-1", Noon));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Petra, "thread-petra", Noon));

        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-2", Noon.AddSeconds(1)));

        Assert.Equal(new ConversationActivity(Mary, Peter, "thread-2", Noon.AddSeconds(1)), await stores.ThreadMap.LatestAsync(Mary, Peter));
        Assert.Equal(new ConversationActivity(Mary, Petra, "thread-petra", Noon), await stores.ThreadMap.LatestAsync(Mary, Petra));
        Assert.Null(await stores.ThreadMap.LatestAsync(Paul, Peter));
    }

    [Fact]
    public async Task A_touch_older_than_the_stored_one_does_not_take_the_latest_thread_back()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-new", Noon.AddSeconds(1)));

        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-old", Noon));

        Assert.Equal("thread-new", (await stores.ThreadMap.LatestAsync(Mary, Peter))!.Thread);
    }

    [Fact]
    public async Task Latest_for_a_correspondent_is_the_most_recent_conversation_across_users()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-m", Noon));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Paul, Peter, "thread-p", Noon.AddSeconds(2)));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Petra, "thread-petra", Noon.AddSeconds(5)));

        Assert.Equal(new ConversationActivity(Paul, Peter, "thread-p", Noon.AddSeconds(2)), await stores.ThreadMap.LatestForCorrespondentAsync(Peter));

        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-m2", Noon.AddSeconds(3)));

        Assert.Equal(new ConversationActivity(Mary, Peter, "thread-m2", Noon.AddSeconds(3)), await stores.ThreadMap.LatestForCorrespondentAsync(Peter));
        Assert.Null(await stores.ThreadMap.LatestForCorrespondentAsync("+4915100000000"));
    }

    [Fact]
    public async Task A_message_id_finds_its_thread_with_or_without_a_subject_and_can_be_rebound()
    {
        var stores = await _db.OpenAsync();
        const string Email = @"peter\40mail.example";
        var withSubject = new MessageIdBinding("<1@a.example>", Mary, Email, "thread-1", "Lunch?");
        var without = new MessageIdBinding("<2@a.example>", Mary, Email, "thread-1", null);

        await stores.ThreadMap.BindMessageIdAsync(withSubject);
        await stores.ThreadMap.BindMessageIdAsync(without);

        Assert.Equal(withSubject, await stores.ThreadMap.FindMessageIdAsync("<1@a.example>"));
        Assert.Equal(without, await stores.ThreadMap.FindMessageIdAsync("<2@a.example>"));
        Assert.Null(await stores.ThreadMap.FindMessageIdAsync("<3@a.example>"));

        var rebound = new MessageIdBinding("<1@a.example>", Paul, Email, "thread-9", "Re: Lunch?");
        await stores.ThreadMap.BindMessageIdAsync(rebound);
        Assert.Equal(rebound, await stores.ThreadMap.FindMessageIdAsync("<1@a.example>"));
    }

    [Fact]
    public async Task An_email_thread_is_kept_per_user_correspondent_and_thread_and_its_latest_mail_replaced()
    {
        var stores = await _db.OpenAsync();
        const string Email = "peter@mail.example";

        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Mary, Email, "thread-1", "Lunch?", "<1@a.example>"));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Mary, Email, "thread-1", "Lunch?", "<reply@mail.example>"));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Mary, Email, "thread-2", "Dinner?", "<2@a.example>"));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Paul, Email, "thread-1", "Coffee?", "<3@a.example>"));

        Assert.Equal(new EmailThread(Mary, Email, "thread-1", "Lunch?", "<reply@mail.example>"), await stores.ThreadMap.FindEmailThreadAsync(Mary, Email, "thread-1"));
        Assert.Equal("Dinner?", (await stores.ThreadMap.FindEmailThreadAsync(Mary, Email, "thread-2"))!.Subject);
        Assert.Equal("Coffee?", (await stores.ThreadMap.FindEmailThreadAsync(Paul, Email, "thread-1"))!.Subject);
        Assert.Null(await stores.ThreadMap.FindEmailThreadAsync(Mary, "petra@mail.example", "thread-1"));
        Assert.Null(await stores.ThreadMap.FindMessageIdAsync("<1@a.example>"));
    }

    [Fact]
    public async Task Removing_an_account_removes_its_email_threads_and_keeps_the_others()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(TestData.Account(Mary));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Mary, Peter, "thread-m", "s", "<m@a.example>"));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Paul, Peter, "thread-p", "s", "<p@a.example>"));

        Assert.True(await stores.Accounts.RemoveAsync(Mary));

        Assert.Null(await stores.ThreadMap.FindEmailThreadAsync(Mary, Peter, "thread-m"));
        Assert.NotNull(await stores.ThreadMap.FindEmailThreadAsync(Paul, Peter, "thread-p"));
    }

    [Fact]
    public async Task Removing_an_account_removes_its_thread_map_rows_and_keeps_the_others()
    {
        var stores = await _db.OpenAsync();
        await stores.Accounts.CreateAsync(TestData.Account(Mary));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-m", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolB, Peter, Paul, "thread-p", Noon));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-m", Noon.AddSeconds(1)));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Paul, Peter, "thread-p", Noon));
        await stores.ThreadMap.BindMessageIdAsync(new MessageIdBinding("<m@a.example>", Mary, Peter, "thread-m", null));
        await stores.ThreadMap.BindMessageIdAsync(new MessageIdBinding("<p@a.example>", Paul, Peter, "thread-p", null));
        var outboxItem = await stores.Outbox.EnqueueAsync("mary>peter", OutboxChannel.Sms, "{}", Noon);

        Assert.True(await stores.Accounts.RemoveAsync(Mary));

        Assert.Null(await stores.ThreadMap.FindBindingAsync(PoolA, Peter));
        Assert.Equal([PoolB], (await stores.ThreadMap.BindingsForAsync(Peter)).Select(b => b.PoolNumber));
        Assert.Null(await stores.ThreadMap.LatestAsync(Mary, Peter));
        Assert.Equal(Paul, (await stores.ThreadMap.LatestForCorrespondentAsync(Peter))!.CpmUser);
        Assert.Null(await stores.ThreadMap.FindMessageIdAsync("<m@a.example>"));
        Assert.NotNull(await stores.ThreadMap.FindMessageIdAsync("<p@a.example>"));
        Assert.Equal([outboxItem], (await stores.Outbox.PendingAsync(10)).Select(i => i.Id));
    }

    [Fact]
    public async Task The_thread_map_survives_a_restart()
    {
        var stores = await _db.OpenAsync();
        await stores.ThreadMap.BindAsync(new ThreadBinding(PoolA, Peter, Mary, "thread-m", Noon));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Mary, Peter, "thread-m", Noon));
        await stores.ThreadMap.BindMessageIdAsync(new MessageIdBinding("<m@a.example>", Mary, Peter, "thread-m", "s"));
        await stores.DisposeAsync();

        var reopened = await _db.OpenAsync();

        Assert.NotNull(await reopened.ThreadMap.FindBindingAsync(PoolA, Peter));
        Assert.NotNull(await reopened.ThreadMap.LatestAsync(Mary, Peter));
        Assert.NotNull(await reopened.ThreadMap.FindMessageIdAsync("<m@a.example>"));
    }
}

/// <summary>The contract on the embedded SQLite provider.</summary>
public sealed class SqliteThreadMapStoreTests() : ThreadMapStoreContract(new TempDatabase());

/// <summary>The same contract on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresThreadMapStoreTests(PostgresServer server) : ThreadMapStoreContract(new TempPostgresDatabase(server, nameof(PostgresThreadMapStoreTests)));
