using System.CommandLine;
using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Hosting;
using Converge.Tls;
using Microsoft.Extensions.Hosting;

namespace Converge.Cli;

/// <summary>
/// <c>converge serve</c>: validates the configuration, prepares the data directory, certificate and
/// storage (each failure one line on stderr), then runs the host until Ctrl-C, SIGTERM or
/// <paramref name="cancellationToken"/>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var command = new Command("serve", "Run the server until Ctrl-C or SIGTERM");
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), context, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? configFile, CommandLineContext context, CancellationToken cancellationToken)
    {
        LoadedConfiguration configuration;
        ServerCertificate certificate;
        try
        {
            configuration = ConfigurationLoader.Load(configFile, context.Environment);
            PrepareDataDirectory(configuration.Settings.DataDirectory);
            certificate = ServerCertificateStore.Load(configuration.Settings, TimeProvider.System);
        }
        catch (ConfigurationException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: cannot write the certificate: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using (certificate.Certificate)
        {
            var stores = await StorageOpener.TryOpenAsync(configuration.Settings, context, cancellationToken).ConfigureAwait(false);
            if (stores is null)
            {
                return ExitCodes.Failure;
            }

            await using (stores.ConfigureAwait(false))
            {
                return await RunHostAsync(configuration, certificate, stores, context, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunHostAsync(
        LoadedConfiguration configuration, ServerCertificate certificate, IStores stores, CommandLineContext context, CancellationToken cancellationToken)
    {
        var host = ServerHost.Build(configuration, certificate, stores);
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            // The host has logged the details; the operator's terminal gets the reason in one line.
            await context.Error.WriteLineAsync($"error: the server could not start: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        finally
        {
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    private static void PrepareDataDirectory(string path)
    {
        try
        {
            DataDirectory.Create(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("DataDirectory", $"cannot create '{path}': {e.Message}", e);
        }
    }
}
