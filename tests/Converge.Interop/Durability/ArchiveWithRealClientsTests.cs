using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Durability.DurabilityPeers;

namespace Converge.Interop.Durability;

/// <summary>
/// The message archive (XEP-0313, XEP-0059 paging, XEP-0359 stanza ids and the
/// <c>{urn:converge:mam}thread</c> filter) as real client libraries use it.
/// </summary>
public sealed class ArchiveWithRealClientsTests(ITestOutputHelper output)
{
    private const string ThreadField = "{urn:converge:mam}thread";

    [Fact]
    public async Task Slixmpp_pages_500_messages_both_ways_each_once_in_order_and_filters_by_contact_and_thread()
    {
        await using var server = await new ConvergeServer { Users = ["alice", "bob", "dave"] }.StartAsync();
        await SlixmppPagesTheArchiveAsync(server, output);
    }

    /// <summary>The slixmpp archive scenario against a started server with users alice, bob and dave (also run on PostgreSQL).</summary>
    internal static async Task SlixmppPagesTheArchiveAsync(ConvergeServer server, ITestOutputHelper output)
    {
        await using var peer = StartPython(
            server.ClientPort, "archive_pages.py", "--alice", Account("alice"), "--bob", Account("bob"), "--dave", Account("dave"));
        var lines = await FinishesAsync(peer, server, output);
        var context = Context(peer, server);

        Assert.Contains(ThreadField, Single(lines, "^FORM fields=(.*)$", peer, server).Groups[1].Value.Split(','));

        var toBob = Numbered("m", 500, 3);
        AssertPagedForward(ArchivePage.Of(lines, "all-forward"), toBob, pageSize: 50, context);
        AssertPagedBackward(ArchivePage.Of(lines, "all-backward"), toBob, pageSize: 50, context);

        // After 30 more messages to dave, each filter yields exactly its own conversation.
        AssertPagedForward(ArchivePage.Of(lines, "with-bob"), toBob, pageSize: 50, context);
        AssertPagedForward(ArchivePage.Of(lines, "with-dave"), Numbered("d", 30, 2), pageSize: 50, context);
        AssertPagedForward(ArchivePage.Of(lines, "thread-seven"), [.. toBob.Where((_, i) => i % 7 == 0)], pageSize: 50, context);
        AssertPagedForward(ArchivePage.Of(lines, "thread-dave"), Numbered("d", 30, 2), pageSize: 50, context);

        // The stanza-id on each message bob got live is the id his archive knows it by.
        Single(lines, "^STANZA-IDS bob live=500 archived=500 equal=True$", peer, server);
    }

    [Fact]
    public async Task Xmppjs_queries_the_archive_with_raw_stanzas_and_gets_the_count_and_every_message_by_contact_and_thread()
    {
        await using var server = await new ConvergeServer { Users = ["carol", "dave"] }.StartAsync();
        await using var peer = StartNode(server.ClientPort, "archive_raw.mjs", "--carol", Account("carol"), "--dave", Account("dave"));
        var lines = await FinishesAsync(peer, server, output);
        var context = Context(peer, server);

        Assert.Contains(ThreadField, Single(lines, "^FORM fields=(.*)$", peer, server).Groups[1].Value.Split(','));
        var all = Numbered("n", 120, 3);
        AssertPagedForward(ArchivePage.Of(lines, "with-dave"), all, pageSize: 25, context);
        AssertPagedForward(ArchivePage.Of(lines, "thread-odd"), [.. all.Where((_, i) => i % 2 == 1)], pageSize: 25, context);
    }

    private static List<string> Numbered(string prefix, int count, int digits) =>
        [.. Enumerable.Range(0, count).Select(i => prefix + i.ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Pages read oldest first: full pages until the last, which alone says complete; every one counts the whole set.</summary>
    private static void AssertPagedForward(List<ArchivePage> pages, IReadOnlyList<string> expected, int pageSize, string context)
    {
        AssertPages(pages, expected, pageSize, context);
        var got = pages.SelectMany(p => p.Bodies).ToList();
        Assert.True(expected.SequenceEqual(got), $"{pages.FirstOrDefault()?.Query}: not each message once in order: {Sequences.Differences(expected, got)}{context}");
    }

    /// <summary>Pages read newest first (RSM &lt;before/&gt;); each page is in chronological order within itself.</summary>
    private static void AssertPagedBackward(List<ArchivePage> pages, IReadOnlyList<string> expected, int pageSize, string context)
    {
        AssertPages(pages, expected, pageSize, context);
        var got = pages.AsEnumerable().Reverse().SelectMany(p => p.Bodies).ToList();
        Assert.True(expected.SequenceEqual(got), $"{pages.FirstOrDefault()?.Query}: not each message once in order: {Sequences.Differences(expected, got)}{context}");
    }

    private static void AssertPages(List<ArchivePage> pages, IReadOnlyList<string> expected, int pageSize, string context)
    {
        Assert.True(pages.Count > 0, $"no pages were printed{context}");
        var query = pages[0].Query;
        var fullPages = (expected.Count + pageSize - 1) / pageSize;
        Assert.True(pages.Count == fullPages, $"{query}: {pages.Count} pages for {expected.Count} messages at {pageSize} a page, expected {fullPages}{context}");
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var last = i == pages.Count - 1;
            Assert.True(page.Bodies.Count == (last ? expected.Count - (pageSize * i) : pageSize), $"{query} page {page.Number} holds {page.Bodies.Count} messages{context}");
            Assert.True(page.Complete == last, $"{query} page {page.Number} says complete={page.Complete}{context}");
            Assert.True(page.Count == expected.Count, $"{query} page {page.Number} counts {page.Count} messages, expected {expected.Count}{context}");
        }
    }
}
