using System.CommandLine;

namespace Converge.Cli;

/// <summary>The <c>converge</c> command tree.</summary>
internal static class ConvergeCommandLine
{
    public static RootCommand Create(CommandLineContext context)
    {
        var config = new Option<string?>("--config")
        {
            Description = "The JSON configuration file (see docs/configuration.md); without it the defaults apply",
            HelpName = "FILE",
            Recursive = true,
        };

        var root = new RootCommand("Converge: XMPP messaging server for service providers");
        root.Options.Add(config);
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        root.Subcommands.Add(ServeCommand.Create(config, context));
        root.Subcommands.Add(UserCommands.Create(config, context));
        root.Subcommands.Add(AgreementCommands.Create(config, context));
        root.Subcommands.Add(RoutesCommand.Create(config, context));
        root.Subcommands.Add(AdminCommands.Create(config, context));
        root.Subcommands.Add(SessionCommands.Create(config, context));
        root.Subcommands.Add(OutboxCommands.Create(config, context));
        root.Subcommands.Add(StatsCommand.Create(config, context));
        root.Subcommands.Add(AbuseCommands.Block(config, context));
        root.Subcommands.Add(AbuseCommands.Report(config, context));
        root.Subcommands.Add(StorageCommands.Create(context));
        root.Subcommands.Add(ClusterCommands.Create(config, context));
        return root;
    }
}
