using System.CommandLine;
using System.Globalization;
using Converge.Admin;

namespace Converge.Cli;

/// <summary>
/// <c>converge admin token add|list|remove</c>: operator tokens for the admin API, kept as hashes in
/// the data directory; works whether or not the server runs (a running server sees a change at the
/// next request). <c>add</c> prints the token once, as its last line.
/// </summary>
internal static class AdminCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var name = new Argument<string>("NAME") { Description = "A name for the token (who or what uses it), e.g. grafana or alice-laptop" };
        var scope = new Option<string>("--scope") { Description = "read: figures and lists only; admin: also changes", DefaultValueFactory = _ => "admin", HelpName = "read|admin" };
        scope.AcceptOnlyFromAmong("read", "admin");
        var add = new Command("add", "Create a token; it is printed once, as the last line, and only its hash is kept") { name, scope };
        add.SetAction((parse, _) => WithStoreAsync(parse.GetValue(config), context, async store =>
        {
            var level = parse.GetRequiredValue(scope) == "read" ? OperatorScope.Read : OperatorScope.Admin;
            var secret = store.Add(parse.GetRequiredValue(name), level, DateTimeOffset.UtcNow);
            await context.Output.WriteLineAsync($"token '{parse.GetRequiredValue(name)}' ({level.ToString().ToLowerInvariant()} scope) added; it is shown only now:").ConfigureAwait(false);
            await context.Output.WriteLineAsync(secret).ConfigureAwait(false);
        }));

        var list = new Command("list", "List the tokens (names, scopes, creation times; never the tokens)");
        list.SetAction((parse, _) => WithStoreAsync(parse.GetValue(config), context, async store =>
        {
            await context.Output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-32} {1,-6} {2}", "NAME", "SCOPE", "CREATED")).ConfigureAwait(false);
            foreach (var token in store.List().OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                await context.Output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture, "{0,-32} {1,-6} {2:u}", token.Name, token.Scope.ToString().ToLowerInvariant(), token.Created)).ConfigureAwait(false);
            }
        }));

        var removeName = new Argument<string>("NAME") { Description = "The token's name" };
        var remove = new Command("remove", "Revoke a token at once") { removeName };
        remove.SetAction((parse, _) => WithStoreAsync(parse.GetValue(config), context, async store =>
        {
            var which = parse.GetRequiredValue(removeName);
            if (!store.Remove(which))
            {
                throw new InvalidOperationException($"no token named '{which}'");
            }

            await context.Output.WriteLineAsync($"removed token '{which}'").ConfigureAwait(false);
        }));

        var token = new Command("token", "Operator tokens for the admin API") { add, list, remove };
        return new Command("admin", "Operator access to the admin API") { token };
    }

    private static async Task<int> WithStoreAsync(string? configFile, CommandLineContext context, Func<OperatorTokenStore, Task> operation)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        try
        {
            await operation(new OperatorTokenStore(settings.DataDirectory)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
