using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>A permanent refusal by the mail server comes back to the CPM sender as an XMPP error with the reason.</summary>
[Collection(EmailCollection.Name)]
public sealed class RelayRefusalTests(EmailWorld world)
{
    [Fact]
    public async Task A_550_from_the_relay_reaches_mary_as_an_error_message_naming_the_reason()
    {
        // The relay answers 550 "User unknown" to RCPT for any reject* mailbox.
        const string nobody = "reject.nobody@mail.example";
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(nobody), "Hello?", thread: "refused", id: "refused-1");

        var error = await mary.MessageAsync(m => m.BareFrom == JidOf(nobody) && m.Type == "error", "the error for the refused mail");
        Assert.Equal("refused-1", error.Id);
        Assert.Equal("refused", error.Thread);
        Assert.NotNull(error.Error);
        Assert.Equal("cancel", error.Error.Type);
        Assert.Contains("550", error.Error.Text, StringComparison.Ordinal);
        Assert.Contains("User unknown", error.Error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Relay.Mails, m => m.IsFor(nobody));
    }
}
