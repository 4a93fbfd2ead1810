using Converge.Core.Interworking;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Policy;
using Converge.Xmpp.Tests.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>What an SMS may cost: the destinations the operator allows and a sender's daily count, as errors the sender can read.</summary>
public sealed class SmsAbusePolicyTests
{
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static async Task<(TestServer Server, GatewayAccessTests.RecordingGateway Gateway)> StartAsync(int perDay)
    {
        var server = await TestServer.StartAsync();
        var gateway = new GatewayAccessTests.RecordingGateway();
        server.Server.Interworking.Gateway = gateway;
        new SmsAbusePolicy(new SmsDestinationPolicy([], ["+49900"], ["49"]), perDay, server.Server.Context.Router, NullLogger.Instance)
            .Hook(server.Server.Context.Events);
        return (server, gateway);
    }

    [Theory]
    [InlineData("+4990012345", "Sms.DestinationPrefixes.Deny +49900")]
    [InlineData("+447700900123", "outside the home country")]
    public async Task An_sms_to_a_destination_the_provider_does_not_allow_is_refused_naming_the_rule(string number, string rule)
    {
        var (server, gateway) = await StartAsync(perDay: 0);
        await using var _ = server;
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync($"<message to='{number}@example.test' id='p' type='chat'><body>call me</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "p");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("not-allowed", Stanzas));
        Assert.Contains(rule, error.Element("error", "jabber:client")!.ChildText("text", Stanzas), StringComparison.Ordinal);
        Assert.Empty(gateway.Accepted);

        // The control: a number at home goes through the same gate.
        await alice.SendAsync("<message to='+4915199990001@example.test' type='chat'><body>hi</body></message>");
        await GatewayAccessTests.WaitForAsync(() => gateway.Accepted.Count == 1);
    }

    [Fact]
    public async Task A_sender_over_the_daily_limit_gets_resource_constraint_and_nothing_more_is_sent()
    {
        var (server, gateway) = await StartAsync(perDay: 2);
        await using var _ = server;
        await using var alice = await server.LoginAsync("alice", "pc");
        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync($"<message to='+4915199990001@example.test' id='m{i}' type='chat'><body>{i}</body></message>");
        }

        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m2");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("resource-constraint", Stanzas));
        Assert.Equal(2, gateway.Accepted.Count);

        // Another sender has a count of its own.
        await using var carol = await server.LoginAsync("carol", "pc");
        await carol.SendAsync("<message to='+4915199990001@example.test' type='chat'><body>mine</body></message>");
        await GatewayAccessTests.WaitForAsync(() => gateway.Accepted.Count == 3);
    }
}
