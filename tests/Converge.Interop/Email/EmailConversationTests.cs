using System.Text;
using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>
/// Seed 003 with email as the legacy service: Mary (slixmpp) and Peter (an ordinary mail user)
/// converse both ways and the XMPP thread and the mail thread stay one conversation.
/// </summary>
[Collection(EmailCollection.Name)]
public sealed class EmailConversationTests(EmailWorld world)
{
    [Fact]
    public async Task Mary_and_peter_converse_both_ways_in_one_thread_through_message_id_and_in_reply_to()
    {
        const string peter = "peter@mail.example";
        var petersJid = JidOf(peter);
        await using var mary = await world.ClientAsync(Mary);

        // Mary writes to Peter's escaped address: one mail from her email identity, plain UTF-8 text.
        await mary.SendAsync(petersJid, "Grüße aus Hamburg!\nAre we still on for Friday?", thread: "t1");
        var first = (await world.Relay.MailsForAsync(peter, 1, world.Context))[0];
        Assert.Equal(MarysAddress, first.MailFrom);
        Assert.Contains(MarysAddress, first.From, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(peter, first.To, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("text/plain", first.ContentType);
        Assert.Equal("utf-8", first.Charset, ignoreCase: true);
        Assert.Equal("Grüße aus Hamburg!\nAre we still on for Friday?", first.TrimmedText);
        Assert.False(string.IsNullOrEmpty(first.MessageId), $"the mail has no Message-ID:\n{first.RawText}");
        Assert.EndsWith($"@{MailDomain}>", first.MessageId, StringComparison.Ordinal);

        // Peter answers from his mail program: In-Reply-To her mail, a quoted history, an encoded-word subject.
        var subject = "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Re: Grüße aus Hamburg!")) + "?=";
        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, peter, MarysAddress,
            "--header", $"Subject: {subject}",
            "--header", "Message-Id: <reply-t1.peter@mail.example>",
            "--add-header", $"In-Reply-To: {first.MessageId}",
            "--add-header", $"References: {first.MessageId}",
            "--add-header", "MIME-Version: 1.0",
            "--add-header", "Content-Type: text/plain; charset=utf-8",
            "--add-header", "Content-Transfer-Encoding: 8bit",
            "--body", "Yes, Friday at eight. Bis dann!\n\nOn Sat, 21 Nov 2026 at 09:00, Mary <mary@converge.example> wrote:\n> Grüße aus Hamburg!\n> Are we still on for Friday?\n");
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");

        var reply = await mary.MessageAsync(m => m.BareFrom == petersJid && m.Body is not null, "Peter's reply");
        Assert.Equal("chat", reply.Type);
        Assert.Equal("Yes, Friday at eight. Bis dann!", reply.Body);
        Assert.Equal("t1", reply.Thread);
        Assert.NotNull(reply.Subject);
        Assert.EndsWith("Grüße aus Hamburg!", reply.Subject, StringComparison.Ordinal);

        // Mary answers in the thread: the new mail answers Peter's.
        await mary.SendAsync(petersJid, "Great, see you then.", thread: "t1");
        var second = (await world.Relay.MailsForAsync(peter, 2, world.Context))[1];
        Assert.Equal("Great, see you then.", second.TrimmedText);
        Assert.Equal("<reply-t1.peter@mail.example>", second.InReplyTo);
        Assert.Contains("<reply-t1.peter@mail.example>", second.References ?? "", StringComparison.Ordinal);
        Assert.Contains("Grüße aus Hamburg!", second.Subject, StringComparison.Ordinal);
        Assert.NotEqual(first.MessageId, second.MessageId);
    }
}
