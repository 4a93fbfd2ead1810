using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>XEP-0045 status 332: a graceful stop tells every occupant; the persistent room is there after the restart.</summary>
public sealed class ServiceShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_graceful_stop_tells_occupants_332_and_the_room_can_be_rejoined_after_the_restart()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();
        string[] accounts = ["--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob")];

        await using (var before = PeerScripts.StartPython(server, "muc_shutdown.py", ["--phase", "before", .. accounts]))
        {
            Assert.True(await before.WaitForLineAsync("JOINED alice bob", PeerScripts.ScenarioTimeout), $"the clients did not join:\n{before.Output.Text}\n{server.Log}");
            await server.StopAsync();
            await ScenarioAssert.PassesAsync(before, server, output, "^SHUTDOWN alice and bob each got their own unavailable presence with 110 and 332$", "^PASS$");
        }

        Assert.Contains("were told the service is shutting down (332)", server.Log, StringComparison.Ordinal);
        await server.RestartAsync();
        await server.WaitForLogLineAsync(l => l.Contains("1 persistent rooms restored", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "restored room");

        await using var after = PeerScripts.StartPython(server, "muc_shutdown.py", ["--phase", "after", .. accounts]);
        await ScenarioAssert.PassesAsync(after, server, output, "^REJOINED the room survived the restart; alice and bob are back in it$", "^PASS$");
    }
}
