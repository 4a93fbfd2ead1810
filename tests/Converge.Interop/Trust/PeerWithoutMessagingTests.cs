using Converge.Interop.Sms;
using static Converge.Interop.Trust.TrustWorld;

namespace Converge.Interop.Trust;

/// <summary>
/// The agreement filter without holes (issue 11): A's agreement with prosody.test grants only <c>Presence</c> and
/// <c>Subscription</c>. Errors and IQ results cross only as answers to requests that went the other way, so a
/// <c>type='error'</c> message or an unsolicited IQ result with a payload (or IQ error), which pat's client writes raw and
/// Prosody relays as it is, never reaches alice's client. pat's directed presence, which the agreement allows, is
/// sent after them on the same link and does arrive: had they been delivered, they would have come before it. The answer
/// to alice's own request to pat does cross.
/// </summary>
[Collection(TrustCollection.Name)]
public sealed class PeerWithoutMessagingTests(TrustWorld world)
{
    private const string StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";

    [Fact]
    public async Task An_error_message_from_a_peer_without_messaging_does_not_reach_the_user()
    {
        await using var alice = await world.ClientAsync(world.A, "alice");
        await using var pat = await world.ProsodyClientAsync("pat");

        // The agreement is as described: a chat message from pat is refused.
        await pat.SendAsync(Jid("alice"), "a chat message", id: "pat-chat");
        var chat = await Refusal.AnswerToAsync(pat, "pat-chat", Refusal.PeerErrorWait);

        foreach (var (to, id) in new[] { (Jid("alice"), "hostile-error-bare"), (alice.Jid, "hostile-error-full") })
        {
            await pat.SendRawAsync(
                $"<message type='error' to='{to}' id='{id}'><body>Your account is suspended: log in at evil.example</body>" +
                $"<error type='cancel'><item-not-found xmlns='{StanzaErrors}'/></error></message>");
        }

        var marker = await DirectedPresenceAsync(pat, alice, "after the error messages");
        var leaked = alice.Received.Where(m => m.Id is "hostile-error-bare" or "hostile-error-full").Select(m => $"{m.Type} to {m.To}: '{m.Body}'").ToList();

        Refusal.NoProblems(
            world.Context,
            ("pat's chat message is refused by the agreement (precondition)", Refusal.Unless(chat, "not-allowed")),
            ("pat's directed presence after the error messages reaches alice (positive control)", marker),
            ("no error message of pat's reaches alice", leaked.Count == 0 ? null : $"alice received {leaked.Count}: {string.Join(" | ", leaked)}"));
    }

    [Fact]
    public async Task An_unsolicited_iq_result_with_a_payload_or_iq_error_from_a_peer_without_messaging_does_not_reach_the_user()
    {
        await using var alice = await world.ClientAsync(world.A, "alice");
        await using var pat = await world.ProsodyClientAsync("pat");

        // A solicited result does cross: alice asks pat's client what it is (disco#info), pat's slixmpp answers.
        await alice.SendRawAsync($"<iq type='get' to='{pat.Jid}' id='alice-asks'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var solicited = await alice.TryIqAsync(i => i.Id == "alice-asks", Refusal.PeerErrorWait);

        foreach (var (to, id) in new[] { (alice.Jid, "hostile-result-full"), (Jid("alice"), "hostile-result-bare") })
        {
            await pat.SendRawAsync(
                $"<iq type='result' to='{to}' id='{id}'><query xmlns='jabber:iq:roster'>" +
                "<item jid='mallory@prosody.test' subscription='both' name='Your bank'/></query></iq>");
        }

        await pat.SendRawAsync($"<iq type='error' to='{alice.Jid}' id='hostile-iq-error'><error type='cancel'><item-not-found xmlns='{StanzaErrors}'/></error></iq>");
        var marker = await DirectedPresenceAsync(pat, alice, "after the iq results");
        var leaked = alice.Iqs.Where(i => i.Id is "hostile-result-full" or "hostile-result-bare" or "hostile-iq-error")
            .Select(i => $"{i.Type} id={i.Id} from {i.From} to {i.To}: {i.Payload}").ToList();

        Refusal.NoProblems(
            world.Context,
            ("the result answering alice's own disco#info request to pat crosses (positive control)",
                solicited is null ? $"no answer within {Refusal.PeerErrorWait.TotalSeconds:0} s" : solicited.Type == "result" ? null : $"the answer was {solicited.Type}"),
            ("pat's directed presence after the iq results reaches alice (positive control)", marker),
            ("no unsolicited iq result or error of pat's reaches alice", leaked.Count == 0 ? null : $"alice received {leaked.Count}: {string.Join(" | ", leaked)}"));
    }

    /// <summary>
    /// pat's directed presence to alice, which the agreement allows, sent after whatever pat sent before on the same
    /// stream and link; null when it arrived (then those have been routed too), else what went wrong.
    /// </summary>
    private static async Task<string?> DirectedPresenceAsync(CpmClient pat, CpmClient alice, string status)
    {
        await pat.SendPresenceAsync(Jid("alice"), status: status);
        try
        {
            await alice.PresenceAsync(p => p.BareFrom == Jid("pat", ProsodyDomain) && p.Status == status, $"pat's directed presence '{status}'", Refusal.Arrival);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            return e.Message.Split('\n')[0];
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        return null;
    }
}
