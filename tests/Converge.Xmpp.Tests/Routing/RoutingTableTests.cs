using Converge.Xmpp.Routing;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// The order of the routing step is policy: blocking before the agreement, the agreement before
/// number resolution's side effects, all of them before any copy is made or anything delivered,
/// and the routes out last. These pin the order of the server as it is really wired.
/// </summary>
public sealed class RoutingTableTests
{
    private static async Task<List<string>> HandlersOfAsync(string eventName)
    {
        await using var server = await TestServer.StartAsync();
        return [.. server.Server.RoutingTable().Where(e => e.Event == eventName).Select(e => e.Handler)];
    }

    [Fact]
    public async Task A_message_for_an_account_meets_both_block_lists_the_agreement_and_numbers_before_copies_selection_and_delivery()
    {
        var handlers = await HandlersOfAsync(RoutingEventNames.MessageBare);
        Assert.Equal(
        [
            "metrics: count the stanza by kind, route and origin",
            "storage: no new messages while the disk is full",
            "domain blocklist: from listed domains",
            "blocking: the sender's list",
            "blocking: the recipient's list",
            "interconnection: agreement in",
            "anti-abuse: messages per sender",
            "numbers: aliases",
            "archive + carbons: the sender's copies",
            "interworking: technology selection",
            "push: notify app servers of clients that are away (XEP-0357)",
            "messages: archive, deliver or store offline",
        ], handlers);
    }

    [Fact]
    public async Task The_remote_route_refuses_transit_and_applies_the_agreement_before_anything_leaves()
    {
        var handlers = await HandlersOfAsync(RoutingEventNames.RouteRemote);
        Assert.Equal(
        [
            "metrics: count the stanza by kind, route and origin",
            "storage: no new messages while the disk is full",
            "domain blocklist: to listed domains",
            "blocking: the sender's list",
            "interconnection: no transit",
            "interconnection: agreement out",
            "anti-abuse: messages per sender",
            "numbers: aliases",
            "archive + carbons: the sender's copies",
            "caps: PEP last items to a peer's user on approval",
            "federation: to the peer's link",
        ], handlers);
    }

    [Fact]
    public async Task The_legacy_route_checks_blocking_who_may_use_the_gateway_and_what_an_sms_may_cost_before_the_gateway()
    {
        var handlers = await HandlersOfAsync(RoutingEventNames.RouteLegacy);
        Assert.Equal(
        [
            "metrics: count the stanza by kind, route and origin",
            "storage: no new messages while the disk is full",
            "blocking: the sender's list",
            "anti-abuse: messages per sender",
            "interworking: who may use the gateways",
            "interworking: SMS destinations and daily limits",
            "archive + carbons: the sender's copies",
            "interworking: to the SMS or email gateway",
        ], handlers);
    }

    [Fact]
    public async Task Every_event_the_router_can_fire_has_a_delivery_or_is_answered_by_the_rfc_default()
    {
        await using var server = await TestServer.StartAsync();
        var events = server.Server.RoutingTable().Select(e => e.Event).ToHashSet();
        foreach (var name in new[] { RoutingEventNames.MessageBare, RoutingEventNames.MessageFull, RoutingEventNames.PresenceBare, RoutingEventNames.PresenceFull,
                     RoutingEventNames.IqBare, RoutingEventNames.IqFull, RoutingEventNames.IqHost, RoutingEventNames.IqService, RoutingEventNames.PresenceOutbound,
                     RoutingEventNames.RouteRemote, RoutingEventNames.RouteLegacy })
        {
            Assert.Contains(server.Server.RoutingTable(), e => e.Event == name && e.Priority == RoutePriority.Delivery);
        }

        Assert.Contains(RoutingEventNames.MessageHost, events);
    }
}
