using System.CommandLine;
using System.Globalization;
using Converge.Configuration;
using Converge.Storage.Migration;

namespace Converge.Cli;

/// <summary>
/// <c>converge storage migrate --from-config OLD --to-config NEW</c>: moves a provider's data from the
/// store OLD's configuration names to the (empty) store NEW's names, e.g. from the embedded SQLite file
/// to PostgreSQL. Run it with the server stopped; run it again to resume after an interruption.
/// </summary>
internal static class StorageCommands
{
    private const int BarWidth = 30;

    public static Command Create(CommandLineContext context)
    {
        var storage = new Command("storage", "Storage maintenance");
        var from = new Option<string>("--from-config") { Description = "The configuration whose Storage is copied from", HelpName = "OLD", Required = true };
        var to = new Option<string>("--to-config") { Description = "The configuration whose (empty) Storage is copied into", HelpName = "NEW", Required = true };
        var migrate = new Command("migrate", "Copy every account, roster, message and queue into another provider's empty database (resumable)");
        migrate.Options.Add(from);
        migrate.Options.Add(to);
        migrate.SetAction((parse, ct) => MigrateAsync(parse.GetRequiredValue(from), parse.GetRequiredValue(to), context, ct));
        storage.Subcommands.Add(migrate);
        return storage;
    }

    private static async Task<int> MigrateAsync(string fromFile, string toFile, CommandLineContext context, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(fromFile, context).ConfigureAwait(false) is not { } from
            || await SettingsOpener.TryLoadAsync(toFile, context).ConfigureAwait(false) is not { } to)
        {
            return ExitCodes.Configuration;
        }

        var source = Location(from);
        var target = Location(to);
        await context.Output.WriteLineAsync($"copying {source} -> {target}").ConfigureAwait(false);
        var bar = new ProgressLine(context);
        MigrationResult result;
        try
        {
            result = await StorageMigration.RunAsync(source, target, bar, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationRefusedException e)
        {
            bar.End();
            await context.Error.WriteLineAsync($"error: storage migrate refused: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Everything committed so far is recorded in the target: running again continues from there.
            bar.End();
            await context.Error.WriteLineAsync(
                $"error: storage migrate stopped: {e.Message.ReplaceLineEndings(" ")}; run the same command again to resume").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        bar.End();
        foreach (var (table, rows, copiedNow) in result.Tables)
        {
            var note = copiedNow == rows ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  ({copiedNow} this run)");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{table,-26} {rows,12}{note}")).ConfigureAwait(false);
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"total",-26} {result.TotalRows,12}")).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static StorageLocation Location(ConvergeSettings settings) => settings.StorageProvider == StorageProvider.Postgres
        ? StorageLocation.Postgres(settings.StorageConnectionString!)
        : StorageLocation.Sqlite(settings.StoragePath);

    /// <summary>On a terminal, one line redrawn in place per table; otherwise nothing until the counts at the end.</summary>
    private sealed class ProgressLine(CommandLineContext context) : IProgress<MigrationProgress>
    {
        private bool _drawn;

        public void Report(MigrationProgress value)
        {
            if (!context.OutputIsTerminal)
            {
                return;
            }

            var fraction = value.Total == 0 ? 1.0 : Math.Min(1.0, (double)value.Copied / value.Total);
            var filled = (int)(fraction * BarWidth);
            context.Output.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"\r{value.Table,-26} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Copied}/{value.Total}   "));
            _drawn = true;
        }

        public void End()
        {
            if (_drawn)
            {
                context.Output.WriteLine();
                _drawn = false;
            }
        }
    }
}
