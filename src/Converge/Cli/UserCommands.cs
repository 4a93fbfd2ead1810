using System.CommandLine;
using Converge.Accounts;
using Converge.Configuration;

namespace Converge.Cli;

/// <summary>
/// <c>converge user add|set|remove|list</c>: provisioning straight into the store. A running server
/// sees the change within a second (it polls the store's account change counter).
/// </summary>
internal static class UserCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var user = new Command("user", "Add, change, remove and list accounts");
        user.Subcommands.Add(Add(config, context));
        user.Subcommands.Add(Set(config, context));
        user.Subcommands.Add(Remove(config, context));
        user.Subcommands.Add(List(config, context));
        user.Subcommands.Add(UserImport.Create(config, context));
        return user;
    }

    private static Command Add(Option<string?> config, CommandLineContext context)
    {
        var jid = JidArgument();
        var password = PasswordOption("The password; without a value it is asked for on the terminal, or read as one line from standard input");
        var msisdn = MsisdnOption();
        var email = EmailOption();
        var cpm = BoolOption("--cpm", "Whether the user uses CPM (an XMPP client) [default: true]");
        var command = new Command("add", "Add an account") { jid, password, msisdn, email, cpm };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), context, async admin =>
        {
            // Everything that can be refused is checked before a person is asked to type a password.
            var address = admin.ParseJid(parse.GetRequiredValue(jid));
            var number = AccountAdministration.NormalizeMsisdn(parse.GetValue(msisdn));
            var mail = AccountAdministration.NormalizeEmail(parse.GetValue(email));
            await admin.EnsureAbsentAsync(address, cancellationToken).ConfigureAwait(false);
            var secret = parse.GetValue(password)
                ?? await PasswordSource.ReadAsync(context, address.ToString(), cancellationToken).ConfigureAwait(false);
            var account = await admin.AddAsync(address.ToString(), secret, number, mail, parse.GetValue(cpm), cancellationToken)
                .ConfigureAwait(false);
            await context.Output.WriteLineAsync($"added {account.Jid}").ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command Set(Option<string?> config, CommandLineContext context)
    {
        var jid = JidArgument();
        var password = PasswordOption("A new password; without a value it is asked for on the terminal, or read as one line from standard input");
        var msisdn = MsisdnOption();
        var email = EmailOption();
        var cpm = BoolOption("--cpm", "Whether the user uses CPM (an XMPP client)");
        var roamingCpm = BoolOption("--roaming-cpm", "Whether the network the user roams in supports CPM");
        var lockOption = new Option<bool>("--lock") { Description = "Lock the account: nobody may log in to it and its sessions end (its data stays)" };
        var unlockOption = new Option<bool>("--unlock") { Description = "Unlock a locked account" };
        var command = new Command("set", "Change an account's password or attributes (\"\" removes an MSISDN or email); a new password or --lock ends the account's sessions")
        {
            jid, password, msisdn, email, cpm, roamingCpm, lockOption, unlockOption,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(lockOption) && result.GetValue(unlockOption))
            {
                result.AddError("--lock and --unlock exclude each other");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), context, async admin =>
        {
            var address = admin.ParseJid(parse.GetRequiredValue(jid));
            var changes = new AccountChanges
            {
                Password = parse.GetValue(password),
                Msisdn = parse.GetValue(msisdn) is { } number ? AccountAdministration.NormalizeMsisdn(number) ?? "" : null,
                Email = parse.GetValue(email) is { } mail ? AccountAdministration.NormalizeEmail(mail) ?? "" : null,
                CpmEnabled = parse.GetValue(cpm),
                RoamingCpm = parse.GetValue(roamingCpm),
                Locked = parse.GetValue(lockOption) ? true : parse.GetValue(unlockOption) ? false : null,
            };
            if (changes.Password is null && parse.GetResult(password) is not null)
            {
                await admin.EnsureExistsAsync(address, cancellationToken).ConfigureAwait(false);
                changes = changes with
                {
                    Password = await PasswordSource.ReadAsync(context, address.ToString(), cancellationToken).ConfigureAwait(false),
                };
            }

            var account = await admin.UpdateAsync(address.ToString(), changes, cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"updated {account.Jid}").ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command Remove(Option<string?> config, CommandLineContext context)
    {
        var jid = JidArgument();
        var command = new Command("remove", "Remove an account and everything stored for it; its sessions are closed") { jid };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), context, async admin =>
        {
            var removed = await admin.RemoveAsync(parse.GetRequiredValue(jid), cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"removed {removed}").ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command List(Option<string?> config, CommandLineContext context)
    {
        var command = new Command("list", "List the accounts");
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), context, async admin =>
            AccountTable.Write(context.Output, await admin.ListAsync(cancellationToken).ConfigureAwait(false)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string? configFile, CommandLineContext context, Func<AccountAdministration, Task> operation, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        foreach (var warning in settings.Warnings)
        {
            await context.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var stores = await StorageOpener.TryOpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return ExitCodes.Failure;
        }

        await using (stores.ConfigureAwait(false))
        {
            try
            {
                await operation(new AccountAdministration(stores.Accounts, settings.Domain)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (AdministrationException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }
    }

    private static Argument<string> JidArgument() => new("JID")
    {
        Description = "The user's address, e.g. alice@a.example, or just alice for the configured domain",
    };

    private static Option<string?> PasswordOption(string description) => new("--password")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "PW",
    };

    private static Option<string?> MsisdnOption() => new("--msisdn")
    {
        Description = "The user's phone number in international form, e.g. +4915112345678",
        HelpName = "+E164",
    };

    private static Option<string?> EmailOption() => new("--email")
    {
        Description = "The user's email address",
        HelpName = "ADDR",
    };

    private static Option<bool?> BoolOption(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ExactlyOne,
        HelpName = "true|false",
    };
}
