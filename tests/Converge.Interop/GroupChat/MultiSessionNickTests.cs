using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>XEP-0045 multi-session nick: two slixmpp sessions of one account share a nick; a third user cannot take it.</summary>
public sealed class MultiSessionNickTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_sessions_of_one_account_share_a_nick_and_the_room_sees_one_occupant()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob", "carol"] }.StartAsync();
        await using var peer = PeerScripts.StartPython(
            server, "muc_sessions.py",
            "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^SECOND-SESSION bob's phone joined as Bob \\(110\\); alice saw no new arrival$",
            "^CONFLICT carol as Bob: conflict$",
            "^BOTH-SESSIONS the room message and carol's private message reached pc and phone once each$",
            "^ONE-LEFT the pc left; nobody else saw it; the phone still gets room messages, the pc not$",
            "^LAST-LEFT alice saw Bob leave with his last session$",
            "^PASS$");
    }
}
