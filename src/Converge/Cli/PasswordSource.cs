using Converge.Accounts;

namespace Converge.Cli;

/// <summary>
/// Where a password comes from when it is not on the command line: typed twice at the terminal
/// (no echo), or one line of standard input so that scripts can pipe it without it showing in
/// the process list.
/// </summary>
internal static class PasswordSource
{
    public static async Task<string> ReadAsync(CommandLineContext context, string jid, CancellationToken cancellationToken)
    {
        if (context.InputIsTerminal)
        {
            var first = context.ReadSecret($"Password for {jid}: ") ?? throw new AdministrationException("no password given");
            var second = context.ReadSecret("Repeat the password: ") ?? throw new AdministrationException("no password given");
            return string.Equals(first, second, StringComparison.Ordinal)
                ? first
                : throw new AdministrationException("the passwords typed differ");
        }

        var line = await context.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return line ?? throw new AdministrationException("no password given: use --password, or give it as a line on standard input");
    }
}
