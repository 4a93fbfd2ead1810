using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Pep;

/// <summary>PEP nodes, configuration and items are stored before they are acknowledged: a SIGKILL loses none.</summary>
public sealed class PepAcrossRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Published_items_and_node_access_survive_sigkill_and_restart()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob", "carol"] }.StartAsync();
        await SurviveSigkillAsync(server, output);
    }

    /// <summary>The scenario on a started server with alice, bob and carol (also run on PostgreSQL).</summary>
    internal static async Task SurviveSigkillAsync(ConvergeServer server, ITestOutputHelper output)
    {
        string[] accounts = ["--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol")];

        await using (var publish = PeerScripts.StartPython(server, "pep_restart.py", [.. accounts, "--phase", "publish"]))
        {
            await ScenarioAssert.PassesAsync(publish, server, output, "^PUBLISHED mood devicelist notes$", "^PASS$");
        }

        await server.KillAsync();
        await server.RestartAsync();

        await using var check = PeerScripts.StartPython(server, "pep_restart.py", [.. accounts, "--phase", "check"]);
        await ScenarioAssert.PassesAsync(
            check,
            server,
            output,
            "^LAST-ITEM bob mood=excited$",
            "^ACCESS devicelist=open mood=refused:not-authorized$",
            "^PRIVATE notes kept and still private$",
            "^PASS$");
    }
}
