using System.Text.Json.Nodes;
using Converge.Interop.Durability;
using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Push;

/// <summary>
/// Push notifications (XEP-0357) for group-chat mentions with real slixmpp clients: alice's phone is in a
/// room (with her desktop under the same nick) when its link is cut; a mention of Alice reaches the app
/// server once, other room messages do not, before and after the phone's session ends.
/// </summary>
public sealed class PushForGroupChatMentionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_mention_of_the_nick_is_notified_once_while_the_phone_is_away_and_other_room_messages_are_not()
    {
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob", "dave"],
            ExtraConfig = new JsonObject { ["Limits"] = new JsonObject { ["Client"] = new JsonObject { ["ResumeTimeout"] = "00:00:10" } } },
        }.StartAsync();
        await using var link = FlakyLink.Start(server.ClientPort);
        await using var peer = StartPython(
            link.Port, "push_groupchat.py",
            "--direct-port", Port(server.ClientPort),
            "--alice", Account("alice"), "--bob", Account("bob"), "--dave", Account("dave"));

        await AwayPhone.CutDetachAndEndAsync(peer, server, link);

        var lines = await FinishesAsync(peer, server, output);
        const string Push = "^PUSH node=True form=urn:xmpp:push:summary count={0} sender=team@conference.localhost body=none secret=True from=alice@localhost$";
        InOrder(
            lines,
            [
                "^ENABLED alice/phone$",
                "^JOINED alice's phone and desktop as Alice$",
                "^NO-PUSH for a mention while alice's phone is online$",
                "^NO-PUSH for a room message that does not name Alice$",
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 1),
                "^NO-PUSH a second time for one mention \\(the desktop's copy\\)$",
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Push, 2),
                "^NO-PUSH after the last mention$",
            ],
            peer,
            server);
        Assert.Equal(2, Values(lines, "^(PUSH .*)$").Count);
    }
}
