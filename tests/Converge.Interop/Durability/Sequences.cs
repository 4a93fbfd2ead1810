using System.Globalization;

namespace Converge.Interop.Durability;

/// <summary>Describes how a received sequence differs from the expected one, for failure messages.</summary>
internal static class Sequences
{
    public static string Differences(IReadOnlyList<string> expected, IReadOnlyList<string> got)
    {
        var missing = expected.Except(got).ToList();
        var unexpected = got.Except(expected).ToList();
        var duplicated = got.GroupBy(g => g).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var firstDifference = Enumerable.Range(0, Math.Min(expected.Count, got.Count)).FirstOrDefault(i => expected[i] != got[i], -1);
        return $"got {got.Count} of {expected.Count}; " +
            $"missing {missing.Count} [{string.Join(", ", missing.Take(20))}]; " +
            $"unexpected {unexpected.Count} [{string.Join(", ", unexpected.Take(20))}]; " +
            $"duplicated {duplicated.Count} [{string.Join(", ", duplicated.Take(20))}]; " +
            $"first difference at position {(firstDifference < 0 ? "none" : firstDifference.ToString(CultureInfo.InvariantCulture))}";
    }
}
