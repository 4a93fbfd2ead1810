using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Federation.Rtbl against a real publisher (issue 15): Prosody's mod_pubsub (pubsub.prosody.test) hosts the
/// blocklist node across the interconnection, a slixmpp owner publishes the SHA-256 of a spammer's bare JID
/// (the mod_muc_rtbl / xmppbl.org form) and later retracts it. Converge, subscribed at start, drops the
/// spammer's messages to its user while a clean user of the same peer passes, and lets the spammer through
/// again once the item is retracted.
/// </summary>
public sealed class RtblWithProsodyTests(ITestOutputHelper output)
{
    private const string Node = "muc_bans_sha256";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_jid_published_on_prosodys_pubsub_is_dropped_while_listed_and_passes_again_after_the_retraction()
    {
        await using var dns = new LoopbackDns();
        await using var prosody = await ProsodyServer.StartAsync("prosody.test", dns.Endpoint.Port, ConvergeServer.Password, "rtblowner", "spammer", "clean");
        var service = "pubsub." + prosody.Domain;
        var config = AgreementConfig.With(null, (prosody.Domain, prosody.ServerToServerPort, null));
        var agreement = config["Agreements"]![prosody.Domain]!;
        agreement["Features"]!.AsArray().Add("Pep"); // the list's notifications are pubsub events
        agreement["IncludeSubdomains"] = true; // the list lives on pubsub.prosody.test
        config["Federation"]!["Rtbl"] = new JsonArray(new JsonObject { ["Service"] = service, ["Node"] = Node });

        string Account(string user, int port, string domain) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:{domain}:{user}:{ConvergeServer.Password}");
        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "rtbl_prosody.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script,
             "--owner", Account("rtblowner", prosody.ClientPort, prosody.Domain),
             "--spammer", Account("spammer", prosody.ClientPort, prosody.Domain),
             "--clean", Account("clean", prosody.ClientPort, prosody.Domain),
             "--service", service, "--node", Node],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" },
            redirectStdin: true);
        ConvergeServer? converge = null;
        string Context() => $"\n--- scenario:\n{peer.Output.Text}\n--- converge:\n{converge?.Log}\n--- dns: {dns.Questions}\n--- prosody:\n{prosody.Log}";
        try
        {
            // The node exists before Converge starts: it subscribes and fetches the items once at start.
            await ExpectLineAsync(peer, l => l.StartsWith("READY ", StringComparison.Ordinal), "the node created", Context);

            var s2s = ConvergeServer.FreeTcpPort();
            dns.AddServerToServer("converge.test", s2s);
            converge = await new ConvergeServer
            {
                XmppDomain = "converge.test",
                Users = ["alice"],
                ServerToServerPort = s2s,
                ExtraConfig = config,
            }.StartAsync();
            var updates = 0;
            await converge.WaitForLogLineAsync(l => Holds(l, service, 0) && ++updates == 1, Step, "the list fetched at start (0 entries)");

            await peer.WriteLineAsync($"alice {Account("alice", converge.ClientPort, converge.XmppDomain)}");
            await ExpectLineAsync(peer, l => l == "ALICE-READY", "alice logged in", Context);
            await peer.WriteLineAsync("round 1");
            await ExpectLineAsync(peer, l => l == "ROUND 1 spam=delivered clean=delivered", "before the list names him, the spammer passes", Context);

            await peer.WriteLineAsync("publish");
            await ExpectLineAsync(peer, l => l == "PUBLISHED", "the item published", Context);
            await converge.WaitForLogLineAsync(l => Holds(l, service, 1), Step, "the published item applied (1 entry)");
            await peer.WriteLineAsync("round 2");
            await ExpectLineAsync(peer, l => l == "ROUND 2 spam=dropped clean=delivered", "the listed spammer dropped, the clean user passes", Context);
            Assert.Contains("spammer@prosody.test", (await converge.WaitForLogLineAsync(l => l.Contains("listed on a real-time blocklist", StringComparison.Ordinal), Step, "the drop")), StringComparison.Ordinal);

            await peer.WriteLineAsync("retract");
            await ExpectLineAsync(peer, l => l == "RETRACTED", "the item retracted", Context);
            updates = 0;
            await converge.WaitForLogLineAsync(l => Holds(l, service, 0) && ++updates == 2, Step, "the retraction applied (0 entries again)");
            await peer.WriteLineAsync("round 3");
            await ExpectLineAsync(peer, l => l == "ROUND 3 spam=delivered clean=delivered", "after the retraction the spammer passes again", Context);

            await peer.WriteLineAsync("quit");
            var exitCode = await peer.WaitForExitAsync(Step);
            output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
            Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{Context()}");
        }
        finally
        {
            if (converge is not null)
            {
                await converge.DisposeAsync();
            }
        }
    }

    private static bool Holds(string line, string service, int count) =>
        line.Contains($"Real-time blocklist {Node} at {service} now holds {count.ToString(CultureInfo.InvariantCulture)} entries", StringComparison.Ordinal);

    private static async Task ExpectLineAsync(ChildProcess peer, Func<string, bool> matches, string description, Func<string> context)
    {
        try
        {
            await peer.Output.WaitForLineAsync(matches).WaitAsync(Step);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the scenario did not report {description} within {Step.TotalSeconds:0} s{context()}");
        }
    }
}
