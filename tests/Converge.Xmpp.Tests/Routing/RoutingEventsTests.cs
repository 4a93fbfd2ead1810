using Converge.Core.Addressing;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>The event table itself: order by priority, stop on handled, nothing handled reported as such.</summary>
public sealed class RoutingEventsTests
{
    private static RoutedStanza AnyStanza() =>
        new(new Stanza(new XmlElement("message", "jabber:client"), StanzaKind.Message, Jid.Parse("a@x.test"), Jid.Parse("b@x.test")), StanzaOrigin.Internal);

    private static StanzaHandler Records(List<string> log, string name, bool handles, bool async = false) => async (_, _) =>
    {
        if (async)
        {
            await Task.Yield();
        }

        log.Add(name);
        return handles;
    };

    [Fact]
    public async Task Handlers_run_from_the_highest_priority_down_whatever_order_they_were_hooked_in()
    {
        var events = new RoutingEvents();
        var log = new List<string>();
        events.Hook("message/bare", 0, "delivery", Records(log, "delivery", handles: false));
        events.Hook("message/bare", 1000, "sender", Records(log, "sender", handles: false));
        events.Hook("message/bare", 500, "copies", Records(log, "copies", handles: false));
        events.Hook("message/bare", 900, "recipient", Records(log, "recipient", handles: false));

        var handled = await events.FireAsync("message/bare", AnyStanza(), CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(["sender", "recipient", "copies", "delivery"], log);
    }

    [Fact]
    public async Task Among_equal_priorities_the_first_hooked_runs_first()
    {
        var events = new RoutingEvents();
        var log = new List<string>();
        events.Hook("e", 5, "first", Records(log, "first", handles: false));
        events.Hook("e", 5, "second", Records(log, "second", handles: false));
        await events.FireAsync("e", AnyStanza(), CancellationToken.None);
        Assert.Equal(["first", "second"], log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_handles_the_stanza_stops_the_chain(bool async)
    {
        var events = new RoutingEvents();
        var log = new List<string>();
        events.Hook("e", 10, "policy", Records(log, "policy", handles: false, async));
        events.Hook("e", 5, "refuses", Records(log, "refuses", handles: true, async));
        events.Hook("e", 0, "delivery", Records(log, "delivery", handles: true, async));

        Assert.True(await events.FireAsync("e", AnyStanza(), CancellationToken.None));
        Assert.Equal(["policy", "refuses"], log);
    }

    [Fact]
    public async Task An_event_without_handlers_is_not_handled()
    {
        var events = new RoutingEvents();
        events.Hook("other", 0, "x", (_, _) => ValueTask.FromResult(true));
        Assert.False(await events.FireAsync("message/bare", AnyStanza(), CancellationToken.None));
    }

    [Fact]
    public void The_table_lists_every_event_with_its_handlers_in_running_order()
    {
        var events = new RoutingEvents();
        events.Hook(["b", "a"], 1, "policy", (_, _) => ValueTask.FromResult(false));
        events.Hook("a", 2, "first", (_, _) => ValueTask.FromResult(false));
        var table = events.Table();
        Assert.Equal(["a", "b"], table.Select(e => e.Event));
        Assert.Equal(["first", "policy"], table[0].Hooks.Select(h => h.Name));
    }
}
