using Converge.Core.Federation;
using Converge.Xmpp.Routing.Policy;
using Converge.Xmpp.Tests.Routing;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>Per-sender rates of messages and subscription requests, for local users and for peers' users.</summary>
public sealed class SenderRateTests
{
    private const string Peer = "b.test";

    private static InterconnectionAgreement Agreement(int subscriptionsPerMinute, int messagesPerMinute = 0) =>
        PeerDoor.Agreement(Peer, InterconnectionFeature.Messaging | InterconnectionFeature.Presence | InterconnectionFeature.Subscription)
            with { SubscriptionRateLimit = subscriptionsPerMinute, RateLimit = messagesPerMinute };

    [Fact]
    public async Task A_peer_user_flooding_subscription_requests_is_cut_at_the_agreement_rate_and_counted()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(subscriptionsPerMinute: 5));
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "pc");

        for (var i = 0; i < 30; i++)
        {
            await PeerDoor.SendAsync(server, Peer, $"<presence xmlns='jabber:client' type='subscribe' from='spammer@b.test' to='user{i}@example.test'/>");
        }

        // The flood spent the spammer's five; what it sends now is dropped, to any of our users.
        await PeerDoor.SendAsync(server, Peer, "<presence xmlns='jabber:client' type='subscribe' from='spammer@b.test' to='alice@example.test'/>");

        // A second user of the same peer has a bucket of its own.
        await PeerDoor.SendAsync(server, Peer, "<presence xmlns='jabber:client' type='subscribe' from='friend@b.test' to='alice@example.test'/>");

        var (messages, subscriptions) = server.Server.Context.SenderRates.RefusedFrom(Peer);
        Assert.Equal((0, 26), (messages, subscriptions));

        var request = await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe");
        Assert.Equal("friend@b.test", request.GetAttribute("from"));
        await alice.ExpectNothingAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe", TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Without_a_limit_in_the_agreement_nothing_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(subscriptionsPerMinute: 0));
        for (var i = 0; i < 30; i++)
        {
            await PeerDoor.SendAsync(server, Peer, "<presence xmlns='jabber:client' type='subscribe' from='spammer@b.test' to='alice@example.test'/>");
        }

        Assert.Equal((0, 0), server.Server.Context.SenderRates.RefusedFrom(Peer));
    }

    [Fact]
    public async Task A_peer_users_messages_past_the_agreement_rate_are_refused_with_policy_violation()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(subscriptionsPerMinute: 0, messagesPerMinute: 3));
        await using var alice = await server.LoginAsync("alice", "pc");
        for (var i = 0; i < 5; i++)
        {
            await PeerDoor.SendAsync(server, Peer, $"<message xmlns='jabber:client' type='chat' id='m{i}' from='eve@b.test/x' to='alice@example.test'><body>{i}</body></message>");
        }

        for (var i = 0; i < 3; i++)
        {
            await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m" + i);
        }

        await alice.ExpectNothingAsync(e => e.Name == "message" && e.GetAttribute("id") is "m3" or "m4", TimeSpan.FromMilliseconds(500));
        Assert.Equal((2, 0), server.Server.Context.SenderRates.RefusedFrom(Peer));
    }

    [Fact]
    public async Task A_local_user_past_the_subscription_rate_gets_policy_violation_and_other_users_are_not_affected()
    {
        await using var server = await TestServer.StartAsync(c => c.SubscriptionRequestsPerMinute = 2);
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var carol = await server.LoginAsync("carol", "pc");

        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync($"<presence type='subscribe' id='s{i}' to='user{i}@elsewhere.test'/>");
        }

        var error = await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "error" && e.GetAttribute("id") == "s2");
        Assert.NotNull(error.FirstElement()!.Element("policy-violation", "urn:ietf:params:xml:ns:xmpp-stanzas"));
        Assert.Equal(1, server.Server.Context.SenderRates.RefusedLocal);

        await carol.SendAsync("<presence type='subscribe' id='c0' to='user0@elsewhere.test'/>");
        await carol.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await carol.ExpectAsync(e => e.GetAttribute("id") == "sync"); // carol's stanzas are routed in order
        Assert.Equal(1, server.Server.Context.SenderRates.RefusedLocal);
    }

    [Fact]
    public void A_bucket_refills_evenly_over_the_minute()
    {
        var now = 0L;
        var buckets = new SenderRateBuckets(() => now);
        Assert.All(Enumerable.Range(0, 6), _ => Assert.True(buckets.TryTake("eve", 6)));
        Assert.False(buckets.TryTake("eve", 6));

        now += 10_000; // a sixth of a minute: one token back
        Assert.True(buckets.TryTake("eve", 6));
        Assert.False(buckets.TryTake("eve", 6));
        Assert.True(buckets.TryTake("adam", 6));
    }
}
