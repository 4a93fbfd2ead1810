using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>A persistent room, its affiliations, subject and archive survive a SIGKILL and a restart.</summary>
public sealed class PersistentRoomRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_persistent_room_and_its_archive_survive_a_killed_server()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob", "carol"] }.StartAsync();
        await SurviveSigkillAsync(server, output);
    }

    /// <summary>The scenario on a started server with alice, bob and carol (also run on PostgreSQL).</summary>
    internal static async Task SurviveSigkillAsync(ConvergeServer server, ITestOutputHelper output)
    {
        string[] accounts = ["--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol")];

        await using (var before = PeerScripts.StartPython(server, "muc_durable.py", ["--phase", "before", .. accounts]))
        {
            await ScenarioAssert.PassesAsync(before, server, output, "^BEFORE room archive 3 messages, bob is a member$", "^PASS$");
        }

        await server.KillAsync(); // no shutdown code runs: only what was committed counts
        await server.RestartAsync();
        await server.WaitForLogLineAsync(l => l.Contains("1 persistent rooms restored", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "restored room");

        await using var after = PeerScripts.StartPython(server, "muc_durable.py", ["--phase", "after", .. accounts]);
        await ScenarioAssert.PassesAsync(
            after,
            server,
            output,
            "^AFTER room persistent members-only, subject 'Kept across restarts', carol registration-required, archive 3 messages from Alice, members \\['bob@localhost'\\]$",
            "^PASS$");
    }
}
