using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// Seed 003, 5.8.5: Mary, a CPM user, writes to Peter's number; Peter has only SMS. What reaches
/// his handset is read from the simulated network: order, sender number, encoding, concatenation.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class MessagesToSmsUserTests(SmsWorld world)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Marys_three_messages_reach_peters_handset_in_order_from_her_own_number()
    {
        const string peter = "+4915110000001";
        await using var mary = await world.ClientAsync(Mary);
        string[] texts = ["Hi Peter, it's Mary", "Are you coming on Saturday?", "Bring the map please"];
        foreach (var text in texts)
        {
            await mary.SendAsync(JidOf(peter), text);
        }

        var inbox = await world.Network.ExpectInboxAsync(peter, texts.Length, Arrival, world.Context);
        Assert.Equal(texts, inbox.Select(m => m.Text));
        Assert.All(inbox, m => Assert.Equal(Mary.Msisdn, m.From));
        Assert.All(inbox, m => Assert.Equal("GSM7", m.Encoding));
    }

    [Fact]
    public async Task A_400_character_message_with_extension_characters_arrives_as_one_text_whose_parts_share_one_udh_reference()
    {
        const string peter = "+4915110000002";
        // 152 plain septets, then '€' (ESC + 0x65): a naive cut after 153 septets would split it.
        var text = Cycle("Dear Peter, here is the plan for Saturday and the tickets. ", 152) + "€" + Cycle("Seats {row 7} cost 12€ each. ", 247);
        Assert.Equal(400, text.Length);
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(peter), text);

        var message = Assert.Single(await world.Network.ExpectInboxAsync(peter, 1, Arrival, world.Context));
        Assert.Equal(text, message.Text);
        Assert.Equal("GSM7", message.Encoding);
        Assert.True(message.Parts.Count >= 3, $"a 400-character text with extension characters needs 3 parts, got {message.Parts.Count}");
        var concatenations = message.Parts.Select(p => p.Concatenation ?? throw new Xunit.Sdk.XunitException($"part {p.MessageId} declares no concatenation")).ToList();
        Assert.All(message.Parts, p => Assert.NotNull(p.Udh));
        Assert.All(concatenations, c => Assert.StartsWith("udh", c.Kind, StringComparison.Ordinal));
        Assert.Single(concatenations.Select(c => c.Reference).Distinct());
        Assert.All(concatenations, c => Assert.Equal(message.Parts.Count, c.Total));
        Assert.Equal(Enumerable.Range(1, message.Parts.Count), concatenations.Select(c => c.Sequence));
    }

    [Fact]
    public async Task Greek_and_emoji_texts_arrive_as_ucs2_and_a_surrogate_pair_is_not_split_across_parts()
    {
        const string peter = "+4915110000003";
        const string greek = "Καλημέρα Πέτρο, τα λέμε το Σάββατο";
        const string emoji = "See you at 8 🙂";
        // 66 UCS-2 units, then a surrogate pair where a naive cut after 67 units would split it.
        var longEmoji = Cycle("Θα φέρω τον χάρτη. ", 66) + "🚲" + Cycle(" Τα λέμε! ", 40);
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(peter), greek);
        await mary.SendAsync(JidOf(peter), emoji);
        await mary.SendAsync(JidOf(peter), longEmoji);

        var inbox = await world.Network.ExpectInboxAsync(peter, 3, Arrival, world.Context);
        Assert.Equal([greek, emoji, longEmoji], inbox.Select(m => m.Text));
        Assert.All(inbox, m => Assert.Equal(("UCS2", 8), (m.Encoding, m.DataCoding)));
        Assert.Equal(2, inbox[2].Parts.Count);
    }

    [Fact]
    public async Task A_cpm_user_without_a_number_of_her_own_writes_from_a_pool_number()
    {
        const string peter = "+4915110000004";
        await using var maya = await world.ClientAsync(Maya);

        await maya.SendAsync(JidOf(peter), "Hello from Maya");

        var message = Assert.Single(await world.Network.ExpectInboxAsync(peter, 1, Arrival, world.Context));
        Assert.Equal("Hello from Maya", message.Text);
        Assert.Contains(message.From, SourceNumbers);
    }

    /// <summary><paramref name="phrase"/> repeated and cut to exactly <paramref name="length"/> characters.</summary>
    private static string Cycle(string phrase, int length) =>
        string.Concat(Enumerable.Repeat(phrase, (length / phrase.Length) + 1))[..length];
}
