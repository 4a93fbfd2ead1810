using System.Text.Json;
using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>
/// Real-world-shaped messages (Corpus/*.eml) read leniently, each checked against what a person
/// reading it would see (Corpus/*.json, written by hand).
/// </summary>
public sealed class MimeCorpusTests
{
    public static TheoryData<string> Messages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(EmailTestPaths.Corpus, "*.eml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_the_shapes_the_reader_must_handle()
    {
        Assert.True(Messages().Count >= 19);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_corpus_message_reads_as_a_person_would_read_it(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(EmailTestPaths.Corpus, name + ".eml"));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(EmailTestPaths.Corpus, name + ".json")));
        var root = expected.RootElement;

        var message = new MimeParser().Parse(bytes);

        Assert.Equal(root.GetProperty("subject").GetString(), message.Subject);
        Assert.Equal(root.GetProperty("messageId").GetString(), message.MessageId);
        Assert.Equal(Strings(root.GetProperty("inReplyTo")), message.InReplyTo);
        Assert.Equal(Strings(root.GetProperty("references")), message.References);
        Assert.Equal(DateTimeOffset.Parse(root.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture), message.Date);
        Assert.Equal(Addresses(root.GetProperty("from")), message.From);
        if (root.TryGetProperty("to", out var to))
        {
            Assert.Equal(Addresses(to), message.To);
        }

        Assert.Equal(root.GetProperty("text").GetString(), message.TextBody);
        Assert.Equal(root.GetProperty("fromHtml").GetBoolean(), message.TextBodyFromHtml);
        Assert.Equal(root.GetProperty("replyText").GetString(), ReplyTextExtractor.ExtractReplyText(message));
        if (root.TryGetProperty("attachments", out var attachments))
        {
            Assert.Equal<string?>(Strings(attachments), message.Mime.BodyParts.OfType<MimeKit.MimePart>().Where(p => p.IsAttachment || p.FileName is not null).Select(p => p.FileName));
        }
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static List<MailboxAddress> Addresses(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => new MailboxAddress(e.GetProperty("name").GetString(), e.GetProperty("address").GetString()!))];

}
