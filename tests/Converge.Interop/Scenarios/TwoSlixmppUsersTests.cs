using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>Seed 000's normal flow within one provider, driven by two real slixmpp clients.</summary>
public sealed class TwoSlixmppUsersTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Users_subscribe_to_each_other_see_presence_chat_in_order_get_offline_messages_and_can_block() =>
        await TwoUsersAsync(server, output);

    /// <summary>The two-user scenario against a started server with users alice and bob (also run on PostgreSQL).</summary>
    internal static async Task TwoUsersAsync(ConvergeServer server, ITestOutputHelper output)
    {
        await using var peer = PeerScripts.StartPython(
            server, "two_users.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^LOGIN alice .*tls=True mechanism=SCRAM-SHA-",
            "^LOGIN bob .*tls=True mechanism=SCRAM-SHA-",
            "^SUBSCRIBE-REQUEST bob from=alice@localhost$",
            "^SUBSCRIBED alice by=bob$",
            "^SUBSCRIBE-REQUEST alice from=bob$",
            "^SUBSCRIBED bob by=alice$",
            "^ROSTER alice bob@localhost=both$",
            "^ROSTER bob alice@localhost=both$",
            "^PRESENCE alice sees bob available status='bob on the train'$",
            "^PRESENCE bob sees alice available status='alice at her desk'$",
            "^PRESENCE alice sees bob show=away status='bob in a tunnel'$",
            "^ORDERED bob received 20 messages in order$",
            "^ORDERED alice received 20 messages in order$",
            "^PRESENCE alice sees bob unavailable$",
            "^OFFLINE bob received stored message delay-stamp=\\S+",
            "^BLOCKLIST alice \\['bob@localhost'\\]$",
            "^BLOCKED-OUTBOUND alice error=not-acceptable blocked-element=True$",
            "^BLOCKED-INBOUND bob error=(none|service-unavailable)$",
            "^BLOCKING blocked message withheld, message after unblock delivered$",
            "^PASS$");
    }
}
