using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Converge.Interop.Durability;
using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Push;

/// <summary>
/// Push notifications (XEP-0357) with real slixmpp clients: alice's phone registers with an app
/// server (a slixmpp client, dave/app, answering pubsub publishes); its connection dies under it
/// (a <see cref="FlakyLink"/> reset), so the server first keeps the session for resumption, then
/// ends it.
/// </summary>
public sealed class PushWithSlixmppTests(ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Notifications_reach_the_app_server_only_while_the_phone_is_away_and_stop_after_an_app_server_error_or_disable()
    {
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Limits"] = new JsonObject { ["Client"] = new JsonObject { ["ResumeTimeout"] = "00:00:10" } } },
        }.StartAsync();
        await using var link = FlakyLink.Start(server.ClientPort);
        await using var peer = StartPython(
            link.Port, "push_app_server.py",
            "--direct-port", Port(server.ClientPort),
            "--alice", Account("alice"), "--bob", Account("bob"), "--carol", Account("carol"), "--dave", Account("dave"));

        await AwayPhone.CutDetachAndEndAsync(peer, server, link);

        await ExpectLineAsync(peer, server, "DESKTOP-GONE");
        await server.WaitForLogLineAsync(l => Regex.IsMatch(l, "Session alice@localhost/desktop ended"), EventTimeout, "end of alice's desktop session");
        await peer.WriteLineAsync("DESKTOP-ENDED");

        var lines = await FinishesAsync(peer, server, output);
        const string Push = "^PUSH node=True form=urn:xmpp:push:summary count={0} sender=bob@localhost body=none secret=True from=alice@localhost$";
        InOrder(
            lines,
            [
                "^DISCO account push=True$",
                "^ENABLED alice/phone$",
                "^HOSTILE enable on alice by carol refused=forbidden$",
                "^NO-PUSH while alice's phone is online$",
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 1),
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 2),
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 3),
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 4),
                "^NO-PUSH after the app server's item-not-found$",
                "^DISABLED alice$",
                "^NO-PUSH after disable$",
            ],
            peer,
            server);
        Assert.Equal(4, Values(lines, "^(PUSH .*)$").Count);
        Assert.Contains("refused a notification for alice@localhost (item-not-found); that registration is disabled", server.Log, StringComparison.Ordinal);
    }
}
