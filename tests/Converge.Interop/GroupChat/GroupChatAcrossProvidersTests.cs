using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Federation;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>
/// Three real providers: a.test and b.test grant each other GroupChat; a.test's agreement with c.test
/// does not, while c.test's with a.test does, so that it is a.test's policy that refuses in both directions.
/// </summary>
public sealed class GroupChatAcrossProvidersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rooms_cross_only_where_the_agreement_grants_GroupChat()
    {
        int aPort = ConvergeServer.FreeTcpPort(), bPort = ConvergeServer.FreeTcpPort(), cPort = ConvergeServer.FreeTcpPort();
        await using var a = await new ConvergeServer
        {
            XmppDomain = "a.test", ServerToServerPort = aPort, Users = ["alice"],
            ExtraConfig = Granting(AgreementConfig.With(null, ("b.test", bPort, null), ("c.test", cPort, null)), "b.test"),
        }.StartAsync();
        await using var b = await new ConvergeServer
        {
            XmppDomain = "b.test", ServerToServerPort = bPort, Users = ["bob"],
            ExtraConfig = Granting(AgreementConfig.With(null, ("a.test", aPort, null)), "a.test"),
        }.StartAsync();
        await using var c = await new ConvergeServer
        {
            XmppDomain = "c.test", ServerToServerPort = cPort, Users = ["carol"],
            ExtraConfig = Granting(AgreementConfig.With(null, ("a.test", aPort, null)), "a.test"),
        }.StartAsync();

        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "muc_two_providers.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, "--alice", Account(a, "alice"), "--bob", Account(b, "bob"), "--carol", Account(c, "carol")],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        var exitCode = await peer.WaitForExitAsync(TimeSpan.FromSeconds(150));
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        var context = $"\n--- scenario:\n{peer.Output.Text}\n--- a.test:\n{a.Log}\n--- b.test:\n{b.Log}\n--- c.test:\n{c.Log}";
        Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{context}");
        var lines = peer.Output.StdoutLines;
        Assert.Contains("REMOTE-OCCUPANT bob@b.test joined town@conference.a.test; both messages reached both once", lines);
        Assert.Contains("REMOTE-ROOM alice@a.test joined harbour@conference.b.test, spoke and got a private message", lines);
        Assert.Contains("NO-GROUPCHAT carol@c.test into town: not-allowed; alice into village@conference.c.test: not-allowed", lines);
        // a.test refused both, by its own agreement: in from c.test, and out to it.
        Assert.Contains("Refused a stanza from c.test: the agreement does not allow GroupChat", a.Log, StringComparison.Ordinal);
        Assert.Contains("Refused a stanza to conference.c.test: the agreement does not allow GroupChat", a.Log, StringComparison.Ordinal);
    }

    /// <summary>Adds GroupChat to the agreement with <paramref name="peer"/> only; every agreement covers the peer's subdomains.</summary>
    private static JsonObject Granting(JsonObject config, string peer)
    {
        config["Agreements"]![peer]!["Features"]!.AsArray().Add("GroupChat");
        foreach (var (_, agreement) in config["Agreements"]!.AsObject())
        {
            agreement!["IncludeSubdomains"] = true; // every peer's rooms are on conference.<peer>
        }

        return config;
    }

    private static string Account(ConvergeServer server, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.ClientPort}:{server.XmppDomain}:{user}:{ConvergeServer.Password}");
}
