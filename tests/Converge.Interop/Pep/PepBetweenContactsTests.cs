using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Pep;

/// <summary>PEP (XEP-0163) with real slixmpp clients: alice and bob are contacts, carol is not.</summary>
public sealed class PepBetweenContactsTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Events_reach_contacts_that_want_them_only_and_bookmarks_and_avatars_convert_both_ways() =>
        await BetweenContactsAsync(server, output);

    /// <summary>The scenario on a started server with alice, bob and carol (also run on PostgreSQL).</summary>
    internal static async Task BetweenContactsAsync(ConvergeServer server, ITestOutputHelper output)
    {
        await using var peer = PeerScripts.StartPython(
            server, "pep_contacts.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^SUBSCRIBED alice<->bob$",
            "^EVENT bob mood=happy$",
            "^EVENT alice own mood$",
            "^NO-EVENT carol mood \\(not a contact\\)$",
            "^NO-EVENT bob-quiet mood \\(no \\+notify\\)$",
            "^EVENT bob devicelist=1111,2222$",
            "^NO-EVENT carol devicelist \\(not a contact\\)$",
            "^NO-EVENT bob-quiet devicelist \\(no \\+notify\\)$",
            "^ITEMS carol devicelist open=readable$",
            "^ITEMS carol mood refused=not-authorized/presence-subscription-required$",
            "^PUBLISH carol to alice refused=forbidden$",
            "^PRECONDITION conflict/precondition-not-met$",
            "^PRIVATE bob refused=not-allowed/closed-node$",
            "^NODES bob=eu.siacs.conversations.axolotl.devicelist,http://jabber.org/protocol/mood carol=eu.siacs.conversations.axolotl.devicelist$",
            "^LAST-ITEM bob mood=sad$",
            "^BOOKMARKS legacy->native room1$",
            "^BOOKMARKS native->legacy room1@conference.localhost,room2@conference.localhost$",
            "^AVATAR vcard photo sha1=[0-9a-f]{40} matches=True$",
            "^PASS$");
    }
}
