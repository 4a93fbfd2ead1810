using System.Text.RegularExpressions;

namespace Converge.Tests.Logging;

/// <summary>Log event ids are an operator's handle on a line: unique across the repository and listed in docs/events.md.</summary>
public sealed partial class EventIdTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Every_event_id_in_the_sources_is_used_once_and_listed_in_docs_events()
    {
        var ids = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EventIdPattern().Matches(File.ReadAllText(f)).Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetFileName(f))))
            .ToList();
        var listed = ListedPattern().Matches(File.ReadAllText(Path.Combine(Root, "docs", "events.md")))
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

        Assert.True(ids.Count > 100, $"found only {ids.Count} events; is the pattern still right?");
        Assert.Empty(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.File))}"));
        Assert.Empty(ids.Where(i => !listed.Contains(i.Id)).Select(i => $"{i.Id} ({i.File}) is not in docs/events.md: run scripts/list-events.py"));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Converge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Converge.sln not found above the test binaries");
    }

    [GeneratedRegex(@"LoggerMessage\(\s*EventId\s*=\s*(\d+)")]
    private static partial Regex EventIdPattern();

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex ListedPattern();
}
