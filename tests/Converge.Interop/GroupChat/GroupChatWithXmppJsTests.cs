using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>Occupants on @xmpp/client (no MUC plugin: the XEP-0045 stanzas as any client writes them).</summary>
public sealed class GroupChatWithXmppJsTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Node_occupants_create_a_room_chat_once_change_nick_and_read_the_room_archive()
    {
        await using var peer = PeerScripts.StartNode(server, "muc_occupant.mjs", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));
        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^JOINED creator codes=110,170,201 bob codes=110,170$",
            "^ONCE both occupants got bob's message exactly once$",
            "^NICK Bob became Robert with 303$",
            "^MAM room archive \\[\"node says hi\",\"node done\"\\]$",
            "^PASS$");
    }
}
