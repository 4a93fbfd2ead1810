using System.Text;
using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email;

public sealed class MimeWriterTests
{
    private static OutboundMail Mail(string text, string? subject = "Hello", string? fromName = "Mary Smith") => new()
    {
        From = new MailboxAddress(fromName, "mary@a.example"),
        To = [new MailboxAddress("Peter", "peter@mail.example")],
        Subject = subject,
        Date = new DateTimeOffset(2024, 3, 4, 10, 0, 0, TimeSpan.FromHours(1)),
        MessageId = "thread-7f3a.2@a.example",
        InReplyTo = "CAFx1mD8r7@mail.gmail.com",
        References = ["thread-7f3a.1@a.example", "CAFx1mD8r7@mail.gmail.com"],
        Text = text,
    };

    private static MailMessage RoundTrip(OutboundMail mail) =>
        new MimeParser(MimeParsingMode.Strict).Parse(MimeWriter.Write(mail));

    [Fact]
    public void A_plain_ascii_mail_round_trips_through_the_strict_reader()
    {
        var mail = Mail("Lunch tomorrow?\nAt noon.");

        var read = RoundTrip(mail);

        Assert.Equal("Hello", read.Subject);
        Assert.Equal([new MailboxAddress("Mary Smith", "mary@a.example")], read.From);
        Assert.Equal([new MailboxAddress("Peter", "peter@mail.example")], read.To);
        Assert.Equal("thread-7f3a.2@a.example", read.MessageId);
        Assert.Equal(["CAFx1mD8r7@mail.gmail.com"], read.InReplyTo);
        Assert.Equal(["thread-7f3a.1@a.example", "CAFx1mD8r7@mail.gmail.com"], read.References);
        Assert.Equal(mail.Date, read.Date);
        Assert.Equal("Lunch tomorrow?\nAt noon.", read.TextBody);
        Assert.Equal(MimeKit.ContentEncoding.SevenBit, ((MimeKit.MimePart)read.Mime.Body!).ContentTransferEncoding);
        Assert.Equal("utf-8", read.Mime.Body!.ContentType.Charset);
    }

    [Fact]
    public void Non_ascii_subject_names_and_text_round_trip_in_utf8()
    {
        var mail = Mail("Grüße aus Köln — 👍\nZweite Zeile", subject: "Re: Grüße aus Köln, ein sehr langer Betreff der über mehrere kodierte Wörter geht 👍", fromName: "Jörg \"JJ\" Müller");

        var bytes = MimeWriter.Write(mail);
        var read = RoundTrip(mail);

        Assert.True(Ascii.IsValid(bytes));
        Assert.Equal(mail.Subject, read.Subject);
        Assert.Equal("Jörg \"JJ\" Müller", read.From[0].DisplayName);
        Assert.Equal(mail.Text, read.TextBody);
        Assert.Equal(MimeKit.ContentEncoding.QuotedPrintable, ((MimeKit.MimePart)read.Mime.Body!).ContentTransferEncoding);
    }

    [Fact]
    public void Lines_end_in_crlf_and_stay_within_the_limits()
    {
        var mail = Mail(new string('x', 2000) + "\n" + string.Concat(Enumerable.Repeat("é", 500)), subject: string.Join(' ', Enumerable.Repeat("word", 60)));
        var text = Encoding.ASCII.GetString(MimeWriter.Write(mail));

        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = text.Split("\r\n");
        Assert.All(lines, l => Assert.True(l.Length <= 78, $"{l.Length}: {l}"));
        Assert.Equal(mail.Text, RoundTrip(mail).TextBody);
        Assert.Equal(mail.Subject, RoundTrip(mail).Subject);
    }

    [Fact]
    public void Lines_starting_with_a_dot_or_from_survive()
    {
        var mail = Mail(".\n.leading dot\nFrom here on\n..");

        Assert.Equal(mail.Text, RoundTrip(mail).TextBody);
        Assert.DoesNotContain("\r\nFrom here", Encoding.ASCII.GetString(MimeWriter.Write(mail)), StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_header_values_cannot_inject_fields()
    {
        var mail = Mail("x", subject: "Hi\r\nBcc: victim@x.example");
        var read = RoundTrip(mail);

        Assert.Equal("Hi Bcc: victim@x.example", read.Subject);
        Assert.Null(read.Headers["Bcc"]);
    }

    [Fact]
    public void Extra_header_fields_are_written_and_standard_ones_cannot_be_overridden()
    {
        var mail = Mail("x");
        var withExtra = new OutboundMail
        {
            From = mail.From,
            To = mail.To,
            MessageId = mail.MessageId,
            Text = mail.Text,
            ExtraHeaders = [new("Auto-Submitted", "auto-generated"), new("X-Converge-Thread", "7f3a")],
        };

        var read = RoundTrip(withExtra);

        Assert.Equal("auto-generated", read.Headers["Auto-Submitted"]);
        Assert.Equal("7f3a", read.Headers["X-Converge-Thread"]);
        Assert.Throws<ArgumentException>(() => MimeWriter.Write(new OutboundMail
        {
            From = mail.From,
            To = mail.To,
            MessageId = mail.MessageId,
            Text = mail.Text,
            ExtraHeaders = [new("Message-ID", "<other@x>")],
        }));
    }

    [Fact]
    public void Display_names_with_specials_are_quoted()
    {
        var mail = Mail("x", fromName: "Smith, Mary (Sales)");

        Assert.Contains("From: \"Smith, Mary (Sales)\" <mary@a.example>", Encoding.ASCII.GetString(MimeWriter.Write(mail)), StringComparison.Ordinal);
        Assert.Equal("Smith, Mary (Sales)", RoundTrip(mail).From[0].DisplayName);
    }
}
