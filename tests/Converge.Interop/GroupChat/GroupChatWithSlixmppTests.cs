using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>XEP-0045 group chat on conference.localhost, driven by four real slixmpp clients (its xep_0045 plugin).</summary>
public sealed class GroupChatWithSlixmppTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Rooms_broadcast_once_refuse_outsiders_kick_ban_keep_history_and_invite()
    {
        await using var peer = PeerScripts.StartPython(
            server, "muc_rooms.py",
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"),
            "--carol", PeerScripts.Account("carol"), "--dave", PeerScripts.Account("dave"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^CREATED lobby@conference.localhost codes=\\[110, 170, 201\\]",
            "^JOINED alice bob carol$",
            "^BROADCAST every occupant received the room message exactly once$",
            "^NICK-CONFLICT dave as Bob: conflict; as Dave: joined$",
            "^SUBJECT owner changed it; participant refused: forbidden$",
            "^PRIVATE carol got bob's message from lobby@conference.localhost/Bob$",
            "^SPOOF forged stanza-id and occupant-id replaced by the room's$",
            "^KICK dave removed with 307 and may come back$",
            "^BAN dave: rejoin forbidden, message not-acceptable, outcast list \\['dave@localhost'\\]$",
            "^VISITOR message forbidden, kick not-allowed$",
            "^HISTORY maxstanzas=2 gave \\['history 1', 'history 2'\\]$",
            "^MEMBERS-ONLY non-member registration-required; invited carol joined$",
            "^PASSWORD wrong not-authorized, right joined; DECLINE reached alice$",
            "^DIRECT-INVITE carol got bob's jabber:x:conference invitation$",
            "^DESTROY vault: occupants told, alternate lobby@conference.localhost; the name is free again$",
            "^SELF-PING joined: result; outsider: not-acceptable$",
            "^PASS$");
    }
}
