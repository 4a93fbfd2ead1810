using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>Archive.QuotaBytesPerUser: a user who fills the archive keeps the newest messages, and the oldest go.</summary>
public sealed class ArchiveQuotaTests
{
    private static readonly Jid Alice = Jid.Parse("alice@" + TestServer.Domain);
    private static readonly Jid Bob = Jid.Parse("bob@" + TestServer.Domain);

    private static async Task FloodAsync(TestClient from, int count)
    {
        var padding = new string('x', 200);
        for (var i = 0; i < count; i++)
        {
            await from.SendAsync($"<message to='bob@example.test' type='chat'><body>{i} {padding}</body></message>");
        }

        await from.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await from.ExpectAsync(e => e.GetAttribute("id") == "sync");
    }

    private static async Task<ArchivePage> WaitForAsync(IArchiveStore archive, Jid owner, Func<ArchivePage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await archive.QueryAsync(new ArchiveQuery(owner, Max: 500));
            if (done(page) || DateTime.UtcNow > deadline)
            {
                return page;
            }

            await Task.Delay(100);
        }
    }

    private static int First(ArchivePage page) =>
        int.Parse(page.Messages[0].StanzaXml.Split("<body>")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_flooded_archive_is_trimmed_to_its_quota_by_the_running_server_keeping_the_newest_messages()
    {
        const long Quota = 10_000;
        await using var server = await TestServer.StartWithArchiveQuotaAsync(Quota);
        await using var alice = await server.LoginAsync("alice", "pc");

        await FloodAsync(alice, 200); // about 60 kB in each of the two archives

        // No call from the test: the server's own pass trims both the sender's and the recipient's archive.
        var alices = await WaitForAsync(server.Stores.Archive, Alice, p => p.Count < 200);
        var bobs = await WaitForAsync(server.Stores.Archive, Bob, p => p.Count < 200);
        Assert.InRange(alices.Count, 20, 60);
        Assert.True(await server.Stores.Archive.BytesAsync(Alice) <= Quota);
        Assert.True(await server.Stores.Archive.BytesAsync(Bob) <= Quota);

        // What stays is the newest, unbroken up to the last message sent.
        Assert.Equal(200 - alices.Count, First(alices));
        Assert.Equal(200 - bobs.Count, First(bobs));
    }

    [Fact]
    public async Task Without_a_quota_nothing_is_dropped()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await FloodAsync(alice, 200);

        Assert.Null(server.Server.Context.ArchiveQuota);
        var alices = await WaitForAsync(server.Stores.Archive, Alice, p => p.Count == 200);
        Assert.Equal(200, alices.Count);
    }

    [Fact]
    public async Task A_user_under_the_quota_loses_nothing_and_one_users_flood_costs_no_other_user_anything()
    {
        await using var server = await TestServer.StartWithArchiveQuotaAsync(10_000);
        await using var carol = await server.LoginAsync("carol", "pc");
        await carol.SendAsync("<message to='alice@example.test' type='chat'><body>hello</body></message>");
        await using var alice = await server.LoginAsync("alice", "pc");
        await FloodAsync(alice, 200);

        await WaitForAsync(server.Stores.Archive, Alice, p => p.Count < 200);
        await server.Server.Context.ArchiveQuota!.EnforceAsync(CancellationToken.None);

        var carols = await server.Stores.Archive.QueryAsync(new ArchiveQuery(Jid.Parse("carol@" + TestServer.Domain)));
        Assert.Equal(1, carols.Count);
    }
}
