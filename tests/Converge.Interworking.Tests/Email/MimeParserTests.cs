using System.Text;
using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email;

public sealed class MimeParserTests
{
    private static MailMessage Parse(string message, MimeParsingMode mode = MimeParsingMode.Lenient, MimeLimits? limits = null) =>
        new MimeParser(mode, limits).Parse(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")));

    private static MailMessage WithHeader(string name, string value) => Parse($"{name}: {value}\n\nbody\n");

    [Theory]
    [InlineData("=?utf-8?q?a?= =?utf-8?q?b?=", "ab")]
    [InlineData("=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab")]
    [InlineData("=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b")]
    [InlineData("Re: =?ISO-8859-1?Q?Gr=FC=DFe?= aus Bonn", "Re: Grüße aus Bonn")]
    [InlineData("=?utf-8?b?SGFsbG8gV2VsdA?=", "Hallo Welt")] // missing base64 padding
    [InlineData("=?utf-8*de?q?Hallo?=", "Hallo")] // RFC 2231 language tag
    [InlineData("plain text, no words", "plain text, no words")]
    public void Encoded_words_in_the_subject_are_decoded_and_adjacent_ones_joined(string raw, string expected)
    {
        Assert.Equal(expected, WithHeader("Subject", raw).Subject);
    }

    [Fact]
    public void An_encoded_word_that_cannot_be_decoded_is_kept()
    {
        var message = WithHeader("Subject", "=?utf-8?b?@@@@?= rest");

        Assert.Equal("=?utf-8?b?@@@@?= rest", message.Subject);
    }

    [Fact]
    public void Address_lists_read_groups_quoted_names_comments_and_encoded_names()
    {
        var message = WithHeader("To", "Team: a@x.example, \"Doe, Jane\" <jane@y.example>;, =?utf-8?q?J=C3=B6rg?= <joerg@z.example>, k@w.example (Karl K)");

        Assert.Equal(
            [
                new MailboxAddress(null, "a@x.example"),
                new MailboxAddress("Doe, Jane", "jane@y.example"),
                new MailboxAddress("Jörg", "joerg@z.example"),
                new MailboxAddress("Karl K", "k@w.example"),
            ],
            message.To);
    }

    [Fact]
    public void An_unquoted_display_name_with_dots_is_read_whole()
    {
        Assert.Equal([new MailboxAddress("John Q. Public", "jqp@x.example")], WithHeader("From", "John Q. Public <jqp@x.example>").From);
    }

    [Fact]
    public void References_keep_their_order_and_skip_comments_and_stray_words()
    {
        var message = WithHeader("References", "<a@x> (first)\r\n <b@y> Re: something <c@z>");

        Assert.Equal(["a@x", "b@y", "c@z"], message.References);
    }

    [Theory]
    [InlineData("Mon, 04 Mar 2024 10:00:00 +0100", "2024-03-04T10:00:00+01:00")]
    [InlineData("4 Mar 2024 10:00 -0530", "2024-03-04T10:00:00-05:30")]
    [InlineData("Mon, 4 Mar 99 10:00:00 GMT", "1999-03-04T10:00:00+00:00")]
    [InlineData("Mon, 4 Mar 2024 10:00:00 PDT (Pacific)", "2024-03-04T10:00:00-07:00")]
    [InlineData("Mon, 4 Mar 2024 10:00:00 Q", "2024-03-04T10:00:00+00:00")] // military zones mean -0000
    public void Dates_in_current_and_obsolete_forms_are_read(string raw, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WithHeader("Date", raw).Date);
    }

    [Fact]
    public void A_missing_content_type_means_plain_ascii_text()
    {
        var message = Parse("Subject: x\n\nhello\n");

        Assert.Equal("text/plain", message.Mime.Body!.ContentType.MimeType);
        Assert.Equal("hello", message.TextBody);
    }

    [Fact]
    public void An_mbox_from_line_before_the_headers_is_skipped()
    {
        var message = Parse("From peter@mail.example Mon Mar  4 10:00:00 2024\nSubject: mbox\n\nbody\n");

        Assert.Equal("mbox", message.Subject);
    }

    [Fact]
    public void A_message_without_headers_is_all_body()
    {
        var message = Parse("just a line of text\nand another\n");

        Assert.Equal("just a line of text\nand another", message.TextBody);
    }

    [Fact]
    public void A_multipart_without_a_boundary_is_read_as_text()
    {
        var message = Parse("Content-Type: multipart/mixed\n\nsome text\n");

        Assert.Equal("some text", message.TextBody);
    }

    [Fact]
    public void Boundaries_with_transport_padding_are_recognised()
    {
        var message = Parse("Content-Type: multipart/mixed; boundary=b\n\n--b  \n\none\n--b--\t\n");

        Assert.Equal("one", message.TextBody);
    }

    [Fact]
    public void An_outer_boundary_closes_an_inner_multipart_that_never_ended()
    {
        var message = Parse("""
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner

            first
            --outer

            second
            --outer--
            """);

        Assert.Equal("first\n\nsecond", message.TextBody);
        Assert.Equal(2, ((MimeKit.Multipart)message.Mime.Body!).Count);
    }

    [Fact]
    public void Nesting_at_the_depth_limit_is_read_and_one_level_more_is_kept_opaque()
    {
        var limits = new MimeLimits { MaxDepth = 2 };
        const string atLimit = "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\ninner\n--b--\n--a--\n";
        const string pastLimit = "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\ninner\n--c--\n--b--\n--a--\n";

        Assert.Equal("inner", Parse(atLimit, limits: limits).TextBody);
        var deep = Parse(pastLimit, limits: limits);
        Assert.Null(deep.TextBody);
        var past = ((MimeKit.Multipart)((MimeKit.Multipart)deep.Mime.Body!)[0])[0];
        Assert.IsNotType<MimeKit.Multipart>(past); // kept as one unread part
        Assert.Equal("multipart/mixed", past.ContentType.MimeType);
    }

    [Fact]
    public void Parts_of_a_digest_default_to_messages()
    {
        var message = Parse("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nx\n--d--\n");

        Assert.Equal("message/rfc822", ((MimeKit.Multipart)message.Mime.Body!)[0].ContentType.MimeType);
    }

    [Fact]
    public void Bytes_labelled_ascii_that_are_utf8_are_read_as_utf8()
    {
        var message = Parse("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\nGrüße\n");

        Assert.Equal("Grüße", message.TextBody);
    }

    [Fact]
    public void Raw_utf8_in_headers_is_read_as_utf8()
    {
        var message = WithHeader("Subject", "Grüße");

        Assert.Equal("Grüße", message.Subject);
    }

    [Fact]
    public void An_unknown_transfer_encoding_is_taken_as_it_is()
    {
        var message = Parse("Content-Transfer-Encoding: x-private\n\nbegin 644 x\n");

        Assert.Equal("begin 644 x", message.TextBody);
    }

    [Fact]
    public void Invalid_base64_is_decoded_as_far_as_possible()
    {
        var message = Parse("Content-Transfer-Encoding: base64\n\nSGVs*bG8=\n");

        Assert.Equal("Hello", message.TextBody);
    }

    [Fact]
    public void An_inline_html_part_next_to_plain_text_in_alternative_is_not_used()
    {
        var message = Parse("Content-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/html\n\n<b>html</b>\n--x\nContent-Type: text/plain\n\nplain\n--x--\n");

        Assert.Equal("plain", message.TextBody);
        Assert.False(message.TextBodyFromHtml);
    }

    [Fact]
    public void An_attached_text_file_is_not_taken_as_the_text()
    {
        var message = Parse("Content-Type: multipart/mixed; boundary=x\n\n--x\n\nhello\n--x\nContent-Type: text/plain; name=notes.txt\n\nnotes\n--x--\n");

        Assert.Equal("hello", message.TextBody);
    }

    [Fact]
    public void Html_only_text_drops_scripts_and_styles_decodes_references_and_quotes_blockquotes()
    {
        var message = Parse("Content-Type: text/html\n\n<html><head><style>p { color: red }</style></head><body><p>Fish &amp; chips&nbsp;<b>today</b></p>\n<script>alert('x < y')</script><blockquote>old<br>news</blockquote></body></html>\n");

        Assert.Equal("Fish & chips today\n> old\n> news", message.TextBody);
        Assert.True(message.TextBodyFromHtml);
    }
}
