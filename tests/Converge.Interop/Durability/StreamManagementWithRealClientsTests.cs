using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>
/// XEP-0198 with a real client library whose TCP connection dies under it: the network is a
/// <see cref="FlakyLink"/> that stalls part way through a burst and is then reset, so the server
/// sees no clean close and whatever was in flight is lost.
/// </summary>
public sealed class StreamManagementWithRealClientsTests(ITestOutputHelper output)
{
    private const int Burst = 200;

    // About forty of the burst's messages (each some 300 bytes with TLS framing) reach bob before the stall.
    private const long BytesBeforeStall = 12_000;

    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Slixmpp_cut_off_mid_burst_resumes_and_gets_every_message_once_in_order() =>
        CutOffMidBurstResumesAsync((server, link) => StartPython(
            link.Port, "sm_resume_burst.py",
            "--direct-port", Port(server.ClientPort), "--alice", Account("alice"), "--bob", Account("bob")));

    [Fact]
    public Task Slixmpp_moving_network_mid_burst_resumes_while_the_server_still_holds_the_silent_old_connection() =>
        CutOffMidBurstResumesAsync(
            (server, link) => StartPython(
                link.Port, "sm_resume_burst.py",
                "--direct-port", Port(server.ClientPort), "--alice", Account("alice"), "--bob", Account("bob")),
            serverSeesTheLoss: false);

    [Fact]
    public Task Xmppjs_cut_off_mid_burst_reconnects_resumes_and_gets_every_message_once_in_order() =>
        CutOffMidBurstResumesAsync((server, link) => StartNode(
            link.Port, "sm_resume_burst.mjs",
            "--direct-port", Port(server.ClientPort), "--alice", Account("alice"), "--bob", Account("bob")));

    [Fact]
    public Task Xmppjs_over_websocket_cut_off_mid_burst_reconnects_resumes_and_gets_every_message_once_in_order() =>
        CutOffMidBurstResumesAsync(
            (server, link) => StartNode(
                link.Port, "sm_resume_burst.mjs", "--websocket",
                "--direct-port", Port(server.ClientPort), "--alice", Account("alice"), "--bob", Account("bob")),
            overWebSocket: true);

    /// <summary>
    /// bob's client library reconnects and resumes after its connection is reset part way through a
    /// burst of 200; the script prints every message bob handled and the test checks them. With
    /// <paramref name="overWebSocket"/> bob's link leads to the HTTP listener (RFC 7395) instead of the TCP one.
    /// </summary>
    private async Task CutOffMidBurstResumesAsync(Func<ConvergeServer, FlakyLink, ChildProcess> startScenario, bool serverSeesTheLoss = true, bool overWebSocket = false)
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();
        await using var link = FlakyLink.Start(overWebSocket ? server.HttpPort : server.ClientPort);
        await using var peer = startScenario(server, link);
        await ExpectLineAsync(peer, server, "READY");

        var stalled = link.StallAfter(BytesBeforeStall);
        await peer.WriteLineAsync("BURST");
        await ExpectLineAsync(peer, server, $"SENT {Burst}");
        Assert.True(
            await Completes(stalled),
            $"the burst never filled the link's {BytesBeforeStall} bytes: {link.Describe()}{Context(peer, server)}");
        await (serverSeesTheLoss ? link.CutAsync() : link.AbandonAsync());

        var lines = await FinishesAsync(peer, server, output);
        output.WriteLine(link.Describe());
        var context = Context(peer, server);

        var cutAfter = int.Parse(Single(lines, "^CUT bob after (\\d+) messages$", peer, server).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(cutAfter is > 0 and < Burst, $"the cut was not in the middle of the burst: bob had {cutAfter} of {Burst}{context}");
        Single(lines, "^RESUMED bob handled=\\d+$", peer, server);

        var expected = Enumerable.Range(0, Burst).Select(i => $"burst {i:000}").ToList();
        var got = Values(lines, "^GOT (.+)$");
        Assert.True(expected.SequenceEqual(got), $"bob did not get each of the {Burst} messages once, in order: {Sequences.Differences(expected, got)}{context}");

        // The server saw a dead connection, not a goodbye (or nothing at all), and resent what never arrived.
        var lost = new Regex("Session bob@localhost/\\S+ lost its connection; kept for resumption");
        if (serverSeesTheLoss)
        {
            Assert.Matches(lost, server.Log);
        }
        else
        {
            Assert.DoesNotMatch(lost, server.Log); // the resumption itself took the session from the silent connection
        }

        // The server logs the resumption after it answered <resumed/>: the client may finish before the line is out.
        var resumedLine = new Regex("Session bob@localhost/\\S+ resumed; resending (\\d+) unacknowledged stanzas");
        await server.WaitForLogLineAsync(resumedLine.IsMatch, TimeSpan.FromSeconds(10), "resumption of bob's session");
        var resent = resumedLine.Match(server.Log);
        Assert.True(resent.Success, $"the server did not log a resumption{context}");
        Assert.True(int.Parse(resent.Groups[1].Value, CultureInfo.InvariantCulture) > 0, $"nothing was lost in the cut, so resending was not exercised{context}");
    }

    [Fact]
    public async Task Slixmpp_that_never_comes_back_gets_its_unacknowledged_messages_from_offline_storage_at_next_login()
    {
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob"],
            ExtraConfig = new JsonObject { ["Limits"] = new JsonObject { ["Client"] = new JsonObject { ["ResumeTimeout"] = "00:00:02" } } },
        }.StartAsync();
        await using var link = FlakyLink.Start(server.ClientPort);
        await using var peer = StartPython(
            link.Port, "sm_never_returns.py",
            "--direct-port", Port(server.ClientPort), "--alice", Account("alice"), "--bob", Account("bob"));
        await ExpectLineAsync(peer, server, "READY");

        // Nothing of what follows reaches bob: the server writes it into a dead connection.
        _ = link.StallAfter(0);
        await peer.WriteLineAsync("BURST");
        await ExpectLineAsync(peer, server, "SENT 20");
        await link.CutAsync();

        await server.WaitForLogLineAsync(
            l => Regex.IsMatch(l, "Session bob@localhost/\\S+ lost its connection; kept for resumption"), EventTimeout, "detached session for bob");
        var ended = await server.WaitForLogLineAsync(
            l => Regex.IsMatch(l, "Session bob@localhost/\\S+ ended"), EventTimeout, "end of bob's session after the resumption window");
        output.WriteLine(ended);

        await peer.WriteLineAsync("LOGIN-AGAIN");
        var lines = await FinishesAsync(peer, server, output);
        var context = Context(peer, server);

        Assert.Empty(Values(lines, "^EARLY (.+)$"));
        var expected = Enumerable.Range(0, 20).Select(i => $"later {i:00}").ToList();
        var got = Values(lines, "^GOT (later \\d+) delayed=\\w+$");
        Assert.True(expected.SequenceEqual(got), $"bob did not get each of the 20 messages once, in order: {Sequences.Differences(expected, got)}{context}");
        Assert.True(
            Values(lines, "^GOT later \\d+ delayed=(\\w+)$").All(d => d == "True"),
            $"messages delivered from offline storage should carry a delay stamp{context}");
    }

    private static async Task<bool> Completes(Task task)
    {
        try
        {
            await task.WaitAsync(EventTimeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
