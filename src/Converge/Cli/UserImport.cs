using System.CommandLine;
using Converge.Accounts;

namespace Converge.Cli;

/// <summary>
/// <c>converge user import FILE</c>: accounts in bulk from a CSV file (<see cref="UserImportLine"/>),
/// straight into the store like <c>user add</c>. Deriving the SCRAM credentials is what takes time, so
/// lines are added in parallel (one per core, twice over, to overlap the writes); the store groups the
/// commits. A bad line is reported with its number and skipped; the exit code says whether any was.
/// </summary>
internal static class UserImport
{
    private const int ProgressEvery = 250;

    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Lines jid,password[,msisdn[,email]]; a header line (jid,...) is skipped" };
        var command = new Command("import", "Add many accounts from a CSV file, with progress") { file };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), parse.GetRequiredValue(file), context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, FileInfo file, CommandLineContext context, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await context.Error.WriteLineAsync($"error: file '{file.FullName}' does not exist").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        var lines = await File.ReadAllLinesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        var first = lines.Length > 0 && UserImportLine.IsHeader(lines[0]) ? 1 : 0;
        var work = Enumerable.Range(first, lines.Length - first).Where(i => lines[i].Trim().Length > 0).ToList();

        var stores = await StorageOpener.TryOpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return ExitCodes.Failure;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var added = 0;
        var failed = 0;
        var done = 0;
        var errors = new System.Collections.Concurrent.ConcurrentBag<(int Line, string Problem)>();
        await using (stores.ConfigureAwait(false))
        {
            var admin = new AccountAdministration(stores.Accounts, settings.Domain);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(work, parallel, async (index, ct) =>
            {
                var fields = UserImportLine.Split(lines[index], out var problem);
                try
                {
                    if (fields is not null)
                    {
                        await admin.AddAsync(fields[0].Trim(), fields[1], Field(fields, 2), Field(fields, 3), null, ct).ConfigureAwait(false);
                        Interlocked.Increment(ref added);
                    }
                }
                catch (AdministrationException e)
                {
                    problem = e.Message;
                }

                if (problem is not null)
                {
                    Interlocked.Increment(ref failed);
                    errors.Add((index + 1, problem));
                }

                var count = Interlocked.Increment(ref done);
                if (count % ProgressEvery == 0)
                {
                    await ProgressAsync(context, count, work.Count, started).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        await ProgressAsync(context, done, work.Count, started).ConfigureAwait(false);
        if (context.InputIsTerminal)
        {
            await context.Error.WriteLineAsync().ConfigureAwait(false);
        }

        foreach (var (line, problem) in errors.OrderBy(e => e.Line))
        {
            await context.Error.WriteLineAsync($"line {line}: {problem}").ConfigureAwait(false);
        }

        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        await context.Output.WriteLineAsync($"imported {added} users, {failed} lines refused, in {seconds:0.0} s").ConfigureAwait(false);
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string? Field(List<string> fields, int index) => fields.Count > index && fields[index].Trim().Length > 0 ? fields[index].Trim() : null;

    // A bar redrawn in place on a terminal; one line per step when the output is a file or a pipe.
    private static Task ProgressAsync(CommandLineContext context, int done, int total, long started)
    {
        const int Width = 30;
        var filled = total == 0 ? Width : done * Width / total;
        var rate = done / Math.Max(0.001, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMinutes);
        var text = $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} ({rate:0} per minute)";
        return context.InputIsTerminal ? context.Error.WriteAsync("\r" + text) : context.Error.WriteLineAsync(text);
    }
}
