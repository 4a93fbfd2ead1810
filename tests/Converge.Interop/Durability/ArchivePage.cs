using System.Globalization;
using System.Text.RegularExpressions;

namespace Converge.Interop.Durability;

/// <summary>
/// One page of an archive query as a peer script printed it:
/// <c>PAGE &lt;query&gt; &lt;n&gt; size=&lt;k&gt; complete=&lt;true|false&gt; count=&lt;c&gt; bodies=&lt;b1,b2,...&gt;</c>.
/// </summary>
internal sealed partial record ArchivePage(string Query, int Number, bool Complete, int? Count, IReadOnlyList<string> Bodies)
{
    /// <summary>The pages of <paramref name="query"/>, in the order the script asked for them.</summary>
    public static List<ArchivePage> Of(IEnumerable<string> lines, string query) =>
        [.. lines.Select(l => Line().Match(l)).Where(m => m.Success && m.Groups["query"].Value == query).Select(m => new ArchivePage(
            m.Groups["query"].Value,
            int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture),
            m.Groups["complete"].Value is "true" or "True",
            m.Groups["count"].Value.Length > 0 ? int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture) : null,
            m.Groups["bodies"].Value.Length > 0 ? m.Groups["bodies"].Value.Split(',') : []))];

    [GeneratedRegex("^PAGE (?<query>\\S+) (?<n>\\d+) size=\\d+ complete=(?<complete>\\w+) count=(?<count>\\d*) bodies=(?<bodies>.*)$")]
    private static partial Regex Line();
}
