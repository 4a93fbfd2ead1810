using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>One account on a pc and a phone at once, both slixmpp: XEP-0280 carbons and XEP-0352 client state indication.</summary>
public sealed class CarbonsAndCsiWithRealClientsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pc_and_phone_see_each_others_conversations_once_and_an_inactive_phone_gets_messages_at_once_but_presence_later()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob"] }.StartAsync();
        await using var peer = StartPython(server.ClientPort, "carbons_csi.py", "--alice", Account("alice"), "--bob", Account("bob"));
        var lines = await FinishesAsync(peer, server, output);

        string[] expected =
        [
            "^LOGIN pc jid=alice@localhost/pc ",
            "^LOGIN phone jid=alice@localhost/phone ",
            "^PRESENCE pc and phone see bob 'bob here'$",
            "^CARBONS enabled on pc and phone$",
            "^CARBON-SENT phone got a copy of what the pc sent to bob$",
            "^CARBON-RECEIVED phone got a copy of what bob sent to the pc$",
            "^ONCE each resource got each message once, copies only where it was not a recipient$",
            "^CSI phone inactive: bob's presence held back while the pc saw it$",
            "^CSI phone inactive: message and carbon delivered at once$",
            "^CSI phone inactive: two more presence changes held back$",
            "^CSI phone active: got bob's current presence",
        ];
        InOrder(lines, expected, peer, server);
    }
}
