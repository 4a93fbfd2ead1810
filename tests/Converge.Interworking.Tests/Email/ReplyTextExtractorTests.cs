using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email;

public sealed class ReplyTextExtractorTests
{
    [Fact]
    public void A_quote_under_an_attribution_wrapped_over_two_lines_is_removed()
    {
        const string text = "Yes, that works.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Mary Smith <\nmary@a.example> wrote:\n\n> Does noon work?\n> \n> Mary\n";

        Assert.Equal("Yes, that works.", ReplyTextExtractor.ExtractReplyText(text));
    }

    [Fact]
    public void A_german_attribution_is_recognised()
    {
        Assert.Equal("Ja.", ReplyTextExtractor.ExtractReplyText("Ja.\n\nAm 04.03.2024 um 10:00 schrieb Mary <mary@a.example>:\n> Kommst du?\n"));
    }

    [Fact]
    public void An_interleaved_reply_is_kept_whole()
    {
        const string text = "On Monday, Mary wrote:\n> Noon?\nYes.\n> At the cafe?\nNo, at home.";

        Assert.Equal(text, ReplyTextExtractor.ExtractReplyText(text));
    }

    [Fact]
    public void A_trailing_quote_without_attribution_is_removed()
    {
        Assert.Equal("Agreed.", ReplyTextExtractor.ExtractReplyText("Agreed.\n\n> the plan\n> as discussed"));
    }

    [Fact]
    public void The_signature_after_the_separator_is_removed()
    {
        Assert.Equal("See you.", ReplyTextExtractor.ExtractReplyText("See you.\n-- \nPeter Smith\nACME Corp.\n+49 30 1234567"));
    }

    [Fact]
    public void A_signature_above_the_quoted_history_is_removed_with_it()
    {
        Assert.Equal("Fine.", ReplyTextExtractor.ExtractReplyText("Fine.\n\n-- \nPeter\n\nOn Tue, Mary wrote:\n> ok?"));
    }

    [Fact]
    public void An_outlook_original_message_block_and_all_after_it_is_removed()
    {
        Assert.Equal("Done.", ReplyTextExtractor.ExtractReplyText("Done.\n\n----- Original Message -----\nFrom: Mary\nTo: Peter\n\nPlease do it."));
    }

    [Fact]
    public void An_outlook_web_underscore_line_before_the_header_block_starts_the_history()
    {
        Assert.Equal("Thanks!", ReplyTextExtractor.ExtractReplyText("Thanks!\n\n________________________________\nFrom: Mary <mary@a.example>\nSent: Monday\n\nHere it is."));
    }

    [Fact]
    public void A_message_that_is_all_quote_is_returned_unchanged()
    {
        Assert.Equal("> only a quote", ReplyTextExtractor.ExtractReplyText("> only a quote\n"));
    }

    [Fact]
    public void A_line_starting_with_from_without_a_header_block_is_text()
    {
        const string text = "From: the start, I said no.\nAnd I still do.";

        Assert.Equal(text, ReplyTextExtractor.ExtractReplyText(text));
    }

    [Fact]
    public void A_pathological_1_MB_line_above_a_quote_is_handled_in_well_under_a_second()
    {
        // Every "wrote" starts a scan for a closing colon to the end of the line: quadratic in
        // the line's length unless long lines are not taken for attributions (a 100 KB line took
        // about 30 ms, this 1 MB one, well inside the 10 MB SMTP limit, 2.6 s before the bound).
        var line = string.Concat(Enumerable.Repeat("wrote ", 1024 * 1024 / 6));
        var text = "Reply.\n\n" + line + "\n> quoted\n";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = ReplyTextExtractor.ExtractReplyText(text);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {watch.Elapsed}");
        Assert.StartsWith("Reply.", result, StringComparison.Ordinal);
        Assert.Contains(line.Trim(), result, StringComparison.Ordinal); // not an attribution: kept
    }

    [Fact]
    public void An_attribution_of_ordinary_length_is_still_recognised()
    {
        var name = new string('x', 200);
        Assert.Equal("Ok.", ReplyTextExtractor.ExtractReplyText($"Ok.\n\nOn Mon, {name} <m@a.example> wrote:\n> q\n"));
    }
}
