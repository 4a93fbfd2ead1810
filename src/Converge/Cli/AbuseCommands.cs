using System.CommandLine;
using System.Globalization;
using Converge.Core.Storage;
using Converge.Core.Addressing;

namespace Converge.Cli;

/// <summary>
/// <c>converge block domain add|remove|list DOMAIN</c> (the server-wide domain blocklist) and
/// <c>converge report list</c> (XEP-0377 spam reports). Both work on the store: a running server reads
/// the blocklist every second and applies it (its links with a listed domain end), so no API call is needed.
/// </summary>
internal static class AbuseCommands
{
    public static Command Block(Option<string?> config, CommandLineContext context)
    {
        var domain = new Command("domain", "The server-wide domain blocklist: no stanza and no server link with a listed domain or its subdomains")
        {
            DomainCommand(config, context, "add", "List a domain (applied by a running server within a second)", async (stores, d, ct) =>
                await stores.DomainBlocks.AddAsync(d, DateTimeOffset.UtcNow, ct).ConfigureAwait(false) ? $"blocked {d}" : $"{d} was already blocked"),
            DomainCommand(config, context, "remove", "Take a domain off the list", async (stores, d, ct) =>
                await stores.DomainBlocks.RemoveAsync(d, ct).ConfigureAwait(false) ? $"unblocked {d}" : $"{d} was not blocked"),
        };
        var list = new Command("list", "Print the listed domains");
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, async stores =>
        {
            foreach (var d in await stores.DomainBlocks.ListAsync(ct).ConfigureAwait(false))
            {
                await context.Output.WriteLineAsync(d).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, ct));
        domain.Subcommands.Add(list);
        return new Command("block", "Server-wide blocking") { domain };
    }

    public static Command Report(Option<string?> config, CommandLineContext context)
    {
        var limit = new Option<int>("--limit") { Description = "How many reports to show, newest first", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Spam and abuse reports users sent with a block (XEP-0377), newest first") { limit };
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, async stores =>
        {
            var reports = await stores.SpamReports.ListAsync(Math.Clamp(parse.GetValue(limit), 1, 10_000), ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-6} {1,-20} {2,-6} {3,-30} {4,-30} {5}", "ID", "AT", "REASON", "REPORTER", "REPORTED", "TEXT"))
                .ConfigureAwait(false);
            foreach (var r in reports)
            {
                await context.Output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture, "{0,-6} {1,-20:u} {2,-6} {3,-30} {4,-30} {5}", r.Id, r.At, r.Reason, r.Reporter, r.Reported, OneLine(r.Text))).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, ct));
        return new Command("report", "Spam and abuse reports (XEP-0377)") { list };
    }

    // A reporter's text is theirs: it must not be able to forge further lines of the listing.
    private static string OneLine(string? text) =>
        text is null ? "-" : new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);

    private static Command DomainCommand(
        Option<string?> config, CommandLineContext context, string verb, string description, Func<IStores, string, CancellationToken, Task<string>> change)
    {
        var argument = new Argument<string>("DOMAIN") { Description = "A domain, e.g. spam.example (its subdomains are covered too)" };
        var command = new Command(verb, description) { argument };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, async stores =>
        {
            if (BlockableDomain.Normalize(parse.GetRequiredValue(argument)) is not { } domain)
            {
                await context.Error.WriteLineAsync($"error: '{parse.GetRequiredValue(argument)}' is not a domain").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await context.Output.WriteLineAsync(await change(stores, domain, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, CommandLineContext context, Func<IStores, Task<int>> operation, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        var stores = await StorageOpener.TryOpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return ExitCodes.Failure;
        }

        await using (stores.ConfigureAwait(false))
        {
            return await operation(stores).ConfigureAwait(false);
        }
    }
}
