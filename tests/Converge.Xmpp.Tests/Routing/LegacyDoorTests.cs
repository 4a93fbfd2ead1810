using Converge.Xmpp.Routing;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// The door the interworking function injects SMS and mail through: a legacy sender speaks only as
/// a legacy address of its channel; an SMS from a subscriber's own number speaks as the subscriber.
/// (The SMPP and SMTP doors before it are tested with real peers in Converge.Interop.)
/// </summary>
public sealed class LegacyDoorTests
{
    private static XmlElement Message(string from, string body) =>
        XmlFragment.Parse($"<message xmlns='jabber:client' type='chat' from='{from}' to='alice@example.test'><body>{body}</body></message>", new XmlLimits())!;

    [Theory]
    [InlineData(LegacyChannel.Sms, "bob@example.test")]
    [InlineData(LegacyChannel.Sms, "ceo@partner.example")]
    [InlineData(LegacyChannel.Sms, "+4915199990001@example.test/phone")]
    [InlineData(LegacyChannel.Sms, "+4915199990001@elsewhere.test")]
    [InlineData(LegacyChannel.Sms, "alice\\40sms\\40sms@example.test")]
    [InlineData(LegacyChannel.Sms, "peter\\40mail.example@example.test")]
    [InlineData(LegacyChannel.Email, "mybank\\40sms@example.test")]
    [InlineData(LegacyChannel.Email, "+4915199990001@example.test")]
    [InlineData(LegacyChannel.Email, "alice@example.test")]
    public async Task A_sender_that_is_no_legacy_address_of_the_channel_is_refused_and_nothing_arrives(LegacyChannel channel, string from)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        Assert.False(await server.Server.Interworking.InjectAsync(channel, Message(from, "spoof"), CancellationToken.None));
        await alice.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, server.Server.Context.LegacyDoor.Refused);
    }

    [Theory]
    [InlineData(LegacyChannel.Sms, "+4915199990001@example.test", "+4915199990001@example.test")]
    [InlineData(LegacyChannel.Sms, "mybank\\40sms@example.test", "mybank\\40sms@example.test")]
    [InlineData(LegacyChannel.Sms, TestServer.BobsNumber + "@example.test", "bob@example.test")]
    [InlineData(LegacyChannel.Email, "peter\\40mail.example@example.test", "peter\\40mail.example@example.test")]
    public async Task A_legacy_sender_arrives_under_its_address_and_a_subscribers_own_number_as_the_subscriber(LegacyChannel channel, string from, string shownAs)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        Assert.True(await server.Server.Interworking.InjectAsync(channel, Message(from, "hello"), CancellationToken.None));
        var message = await alice.ExpectAsync(e => e.Name == "message");
        Assert.Equal(shownAs, message.GetAttribute("from"));
    }
}
