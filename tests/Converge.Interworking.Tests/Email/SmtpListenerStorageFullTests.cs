using Converge.Core.Storage;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>
/// Disk full at the SMTP door (issue 15, item 4): MAIL, and RCPT of a transaction begun before the disk
/// filled, get 452 4.3.1 (RFC 5321 §4.2.2, RFC 3463 X.3.1) and DATA never starts; the next MAIL after space
/// returned is taken, with no restart.
/// </summary>
public sealed class SmtpListenerStorageFullTests
{
    [Fact]
    public async Task Mail_and_rcpt_get_452_while_storage_is_full_and_a_mail_is_taken_once_space_returns()
    {
        await using var harness = ListenerHarness.Start();
        var space = new StorageSpace();
        harness.Listener.Space = space;
        await using var client = await harness.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.test");

        // A transaction begun before the disk filled: its recipient is refused, and so is DATA.
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<peter@mail.example>"), StringComparison.Ordinal);
        space.ReportFull("test: no room");
        Assert.Equal("452 4.3.1 Insufficient system storage", await client.CommandAsync("RCPT TO:<mary@a.example>"));
        Assert.DoesNotContain("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RSET"), StringComparison.Ordinal);
        Assert.Equal("452 4.3.1 Insufficient system storage", await client.CommandAsync("MAIL FROM:<peter@mail.example>"));

        space.ReportRoom();
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<peter@mail.example>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<mary@a.example>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("Subject: hi\r\n\r\nafter the disk emptied\r\n."), StringComparison.Ordinal);
        Assert.Single(harness.Received);
    }
}
