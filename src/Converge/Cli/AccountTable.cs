using Converge.Core.Accounts;

namespace Converge.Cli;

/// <summary>The <c>user list</c> output: one aligned row per account.</summary>
internal static class AccountTable
{
    private static readonly string[] Header = ["jid", "msisdn", "email", "cpm", "roaming-cpm", "locked"];

    public static void Write(TextWriter output, IReadOnlyList<Account> accounts)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(accounts.Select(a => new[]
        {
            a.Jid.ToString(),
            a.Msisdn ?? "-",
            a.Email ?? "-",
            a.CpmEnabled ? "true" : "false",
            a.RoamingCpm ? "true" : "false",
            a.Locked ? "true" : "false",
        }));

        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }
    }
}
