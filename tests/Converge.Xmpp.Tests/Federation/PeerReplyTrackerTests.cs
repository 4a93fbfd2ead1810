using Converge.Core.Addressing;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Errors and IQ results cross only as replies: what the tracker remembers, for how long, and how much.</summary>
public sealed class PeerReplyTrackerTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private long _now = 1_000_000;

    private PeerReplyTracker Tracker(int capacity = 10_000) => new(capacity, Lifetime, () => _now);

    private static Stanza Make(string name, string? type, string? id, string from, string to)
    {
        var element = new XmlElement(name, Namespaces.Client).SetAttribute("from", from).SetAttribute("to", to).SetAttribute("type", type).SetAttribute("id", id);
        Assert.True(Stanza.TryGetKind(element, out var kind));
        return new Stanza(element, kind, Jid.Parse(from), Jid.Parse(to));
    }

    [Theory]
    [InlineData("iq", "result", true)]
    [InlineData("iq", "error", true)]
    [InlineData("message", "error", true)]
    [InlineData("presence", "error", true)]
    [InlineData("iq", "get", false)]
    [InlineData("iq", "set", false)]
    [InlineData("message", "chat", false)]
    [InlineData("message", null, false)]
    [InlineData("presence", null, false)]
    [InlineData("presence", "subscribe", false)]
    public void Errors_and_iq_results_are_replies_everything_else_a_request(string name, string? type, bool reply) =>
        Assert.Equal(reply, PeerReplyTracker.IsReply(Make(name, type, "x", "a@b.test", "c@d.test")));

    [Fact]
    public void An_iq_result_from_the_peer_passes_once_when_it_answers_an_iq_we_sent()
    {
        var tracker = Tracker();
        tracker.RequestSent(Make("iq", "get", "v1", "alice@a.test/pc", "bob@b.test/phone"));

        Assert.True(tracker.AnswersSent(Make("iq", "result", "v1", "bob@b.test/phone", "alice@a.test/pc")));
        Assert.False(tracker.AnswersSent(Make("iq", "result", "v1", "bob@b.test/phone", "alice@a.test/pc"))); // an IQ is answered once
    }

    [Theory]
    [InlineData("iq", "result", "v2", "bob@b.test", "alice@a.test/pc")] // another id
    [InlineData("iq", "result", "v1", "mallory@b.test", "alice@a.test/pc")] // someone the request did not go to
    [InlineData("iq", "result", "v1", "bob@b.test", "carol@a.test")] // someone who did not ask
    [InlineData("message", "error", "v1", "bob@b.test", "alice@a.test/pc")] // an error of another kind
    public void A_reply_that_does_not_answer_a_request_we_sent_does_not_pass(string name, string type, string id, string from, string to)
    {
        var tracker = Tracker();
        tracker.RequestSent(Make("iq", "get", "v1", "alice@a.test/pc", "bob@b.test"));

        Assert.False(tracker.AnswersSent(Make(name, type, id, from, to)));
    }

    [Fact]
    public void A_reply_matches_whether_it_names_the_bare_or_the_full_jid()
    {
        var tracker = Tracker();
        tracker.RequestSent(Make("message", "chat", "m1", "alice@a.test/pc", "bob@b.test"));

        // The peer's server bounces for the account; it goes to the resource that wrote, or to the account.
        Assert.True(tracker.AnswersSent(Make("message", "error", "m1", "bob@b.test", "alice@a.test/pc")));
        Assert.True(tracker.AnswersSent(Make("message", "error", "m1", "bob@b.test/phone", "alice@a.test")));
    }

    [Fact]
    public void Requests_each_way_are_kept_apart()
    {
        var tracker = Tracker();
        tracker.RequestReceived(Make("iq", "get", "q1", "bob@b.test/phone", "alice@a.test"));

        // bob asked alice: alice may answer him, but bob may not "answer" alice with the same id.
        Assert.False(tracker.AnswersSent(Make("iq", "result", "q1", "bob@b.test/phone", "alice@a.test")));
        Assert.True(tracker.AnswersReceived(Make("iq", "result", "q1", "alice@a.test", "bob@b.test/phone")));
    }

    [Fact]
    public void A_request_can_be_answered_only_within_its_lifetime()
    {
        var tracker = Tracker();
        tracker.RequestSent(Make("message", null, "m1", "alice@a.test/pc", "bob@b.test"));
        tracker.RequestSent(Make("iq", "set", "s1", "alice@a.test/pc", "bob@b.test"));

        _now += (long)Lifetime.TotalMilliseconds - 1;
        Assert.True(tracker.AnswersSent(Make("message", "error", "m1", "bob@b.test", "alice@a.test/pc")));

        _now += 1;
        Assert.False(tracker.AnswersSent(Make("message", "error", "m1", "bob@b.test", "alice@a.test/pc")));
        Assert.False(tracker.AnswersSent(Make("iq", "error", "s1", "bob@b.test", "alice@a.test/pc")));
    }

    [Fact]
    public void Memory_stays_bounded_by_the_capacity_however_many_requests_go_out()
    {
        var tracker = Tracker(capacity: 1_000);
        for (var i = 0; i < 100_000; i++)
        {
            tracker.RequestSent(Make("message", "chat", "m" + i, "alice@a.test/pc", "bob@b.test"));
            Assert.True(tracker.SentCount <= 1_000);
        }

        // The most recent half is still there; the oldest are forgotten.
        Assert.True(tracker.AnswersSent(Make("message", "error", "m99999", "bob@b.test", "alice@a.test/pc")));
        Assert.True(tracker.AnswersSent(Make("message", "error", "m99500", "bob@b.test", "alice@a.test/pc")));
        Assert.False(tracker.AnswersSent(Make("message", "error", "m0", "bob@b.test", "alice@a.test/pc")));
    }

    [Fact]
    public void Requests_past_their_lifetime_leave_memory_at_the_next_use()
    {
        var tracker = Tracker();
        for (var i = 0; i < 500; i++)
        {
            tracker.RequestReceived(Make("presence", null, "p" + i, "bob@b.test/phone", "alice@a.test"));
        }

        _now += 2 * (long)Lifetime.TotalMilliseconds;
        tracker.RequestReceived(Make("presence", null, "later", "bob@b.test/phone", "alice@a.test"));

        Assert.Equal(1, tracker.ReceivedCount);
    }

    [Fact]
    public async Task Two_replies_racing_for_one_iq_let_exactly_one_through()
    {
        var tracker = Tracker();
        for (var i = 0; i < 2_000; i++)
        {
            tracker.RequestSent(Make("iq", "get", "r" + i, "alice@a.test/pc", "bob@b.test"));
        }

        var passed = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                if (tracker.AnswersSent(Make("iq", "result", "r" + i, "bob@b.test", "alice@a.test/pc")))
                {
                    Interlocked.Increment(ref passed);
                }
            }
        })));

        Assert.Equal(2_000, passed);
        Assert.Equal(0, tracker.SentCount);
    }
}
