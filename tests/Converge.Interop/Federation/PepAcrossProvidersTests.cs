using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Three <c>converge serve</c> processes: a.test grants <c>Pep</c> to b.test but not to c.test
/// (c.test would grant it: the refusal is a.test's own). Every agreement exposes device type, so that
/// clients' entity capabilities cross. Real slixmpp clients on each side.
/// </summary>
public sealed class PepAcrossProvidersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_pep_event_reaches_a_contact_at_a_peer_only_where_the_agreement_grants_pep()
    {
        int aPort = ConvergeServer.FreeTcpPort(), bPort = ConvergeServer.FreeTcpPort(), cPort = ConvergeServer.FreeTcpPort();
        await using var a = new ConvergeServer
        {
            XmppDomain = "a.test",
            ServerToServerPort = aPort,
            ExtraConfig = WithPep(AgreementConfig.With(null, ("b.test", bPort, null), ("c.test", cPort, null)), "b.test"),
        };
        await using var b = new ConvergeServer { XmppDomain = "b.test", ServerToServerPort = bPort, ExtraConfig = WithPep(AgreementConfig.With(null, ("a.test", aPort, null)), "a.test") };
        await using var c = new ConvergeServer { XmppDomain = "c.test", ServerToServerPort = cPort, ExtraConfig = WithPep(AgreementConfig.With(null, ("a.test", aPort, null)), "a.test") };
        await a.StartAsync();
        await b.StartAsync();
        await c.StartAsync();

        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "pep_two_providers.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, "--alice", Account(a, "alice"), "--bob", Account(b, "bob"), "--carol", Account(c, "carol")],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        var exitCode = await peer.WaitForExitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        var context = $"\n--- scenario:\n{peer.Output.Text}\n--- a.test:\n{a.Log}\n--- b.test:\n{b.Log}\n--- c.test:\n{c.Log}";
        Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{context}");
        Assert.Contains("EVENT bob@b.test mood=amazed", peer.Output.StdoutLines);
        Assert.Contains("NO-EVENT carol c.test (agreement without Pep)", peer.Output.StdoutLines);
        Assert.Contains("ITEMS carol@c.test refused=not-allowed", peer.Output.StdoutLines);
        Assert.Contains("the agreement does not allow Pep", a.Log, StringComparison.Ordinal);
    }

    // Entity capabilities are device-type information: a provider strips them from presence unless
    // the agreement exposes it, and without caps the publisher's server cannot know who wants events.
    private static JsonObject WithPep(JsonObject config, string peer)
    {
        config["Agreements"]![peer]!["Features"]!.AsArray().Add("Pep");
        config["Agreements"]![peer]!["Expose"] = new JsonObject { ["DeviceType"] = true };
        return config;
    }

    private static string Account(ConvergeServer server, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.ClientPort}:{server.XmppDomain}:{user}:{ConvergeServer.Password}");
}
