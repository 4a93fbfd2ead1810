using Converge.Core.Storage;
using Converge.Storage.Sqlite;

namespace Converge.Tests.Cli;

/// <summary><c>converge block domain</c> and <c>converge report list</c> against the store.</summary>
public sealed class AbuseCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConvergeCli _cli;

    public AbuseCommandTests() => _cli = new ConvergeCli(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Domains_are_added_case_folded_once_listed_and_removed()
    {
        var added = await _cli.RunAsync("block", "domain", "add", "Spam.Example.");
        var again = await _cli.RunAsync("block", "domain", "add", "spam.example");
        await _cli.RunAsync("block", "domain", "add", "evil.example");
        var removed = await _cli.RunAsync("block", "domain", "remove", "evil.example");
        var missing = await _cli.RunAsync("block", "domain", "remove", "evil.example");
        var list = await _cli.RunAsync("block", "domain", "list");

        Assert.Equal((0, "blocked spam.example"), (added.ExitCode, added.Output.Trim()));
        Assert.Equal("spam.example was already blocked", again.Output.Trim());
        Assert.Equal("unblocked evil.example", removed.Output.Trim());
        Assert.Equal("evil.example was not blocked", missing.Output.Trim());
        Assert.Equal(["spam.example"], list.OutputLines);
    }

    [Theory]
    [InlineData("user@spam.example")]
    [InlineData("spam.example/resource")]
    [InlineData(" ")]
    public async Task Something_that_is_not_a_bare_domain_is_refused_and_nothing_is_stored(string text)
    {
        var result = await _cli.RunAsync("block", "domain", "add", text);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is not a domain", result.Error, StringComparison.Ordinal);
        Assert.Empty((await _cli.RunAsync("block", "domain", "list")).OutputLines);
    }

    [Fact]
    public async Task Reports_are_listed_newest_first_on_one_line_each_even_when_the_text_has_line_breaks()
    {
        await using (var stores = await SqliteStores.OpenAsync(Path.Combine(_cli.DataDirectory, "converge.db")))
        {
            await stores.SpamReports.AddAsync(new SpamReport(0, "alice@a.example", "spammer@evil.example", "spam", "line one\nFAKE 99 line", DateTimeOffset.UtcNow));
            await stores.SpamReports.AddAsync(new SpamReport(0, "carol@a.example", "troll@evil.example", "abuse", null, DateTimeOffset.UtcNow));
        }

        var list = await _cli.RunAsync("report", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(3, list.OutputLines.Length);
        Assert.Contains("troll@evil.example", list.OutputLines[1], StringComparison.Ordinal);
        Assert.Contains("spammer@evil.example", list.OutputLines[2], StringComparison.Ordinal);
        Assert.EndsWith("line one FAKE 99 line", list.OutputLines[2], StringComparison.Ordinal);
    }
}
