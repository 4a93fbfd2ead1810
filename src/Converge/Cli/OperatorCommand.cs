using System.CommandLine;
using Converge.Core.Storage;

namespace Converge.Cli;

/// <summary>
/// The common run of the commands that talk to a running server through the admin API, and fall back
/// to the store when it does not answer and the command makes sense offline.
/// </summary>
internal sealed class OperatorCommand(Option<string?> config, CommandLineContext context)
{
    public Option<string?> Url { get; } = AdminApiClient.UrlOption();

    public Option<string?> Token { get; } = AdminApiClient.TokenOption();

    public Command With(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        return command;
    }

    /// <param name="offline">What to do against the store when the server does not answer; null: the command needs the server.</param>
    public async Task<int> RunAsync(
        ParseResult parse, Func<AdminApiClient, Task<int>> online, Func<IStores, Task<int>>? offline, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(parse.GetValue(config), context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        using var client = AdminApiClient.For(settings, parse.GetValue(Url), parse.GetValue(Token), context, out var problem);
        if (client is not null)
        {
            try
            {
                return await online(client).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = $"the server does not answer at {client.BaseAddress} ({e.Message.ReplaceLineEndings(" ")})";
            }
        }

        if (offline is null)
        {
            await context.Error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await context.Error.WriteLineAsync($"note: {problem}; reading the store instead").ConfigureAwait(false);
        var stores = await StorageOpener.TryOpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return ExitCodes.Failure;
        }

        await using (stores.ConfigureAwait(false))
        {
            return await offline(stores).ConfigureAwait(false);
        }
    }

    /// <summary>Writes why a request failed and returns the exit code; or null when it succeeded.</summary>
    public async Task<int?> FailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        await context.Error.WriteLineAsync($"error: {await AdminApiClient.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }
}
