using System.Diagnostics;
using Converge.Configuration;
using Converge.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Installs the web chat (Converse.js, from npm) into <c>WebChat.Path</c> at start-up when it is
/// missing, <c>WebChat.AutoInstall</c> is on and npm is on the PATH - the way a self-hosted operator
/// would, in the background: the server serves XMPP at once, and <c>/</c> shows the chat once npm is
/// done. Without npm, or when the install fails, <c>/</c> keeps saying how to install it by hand.
/// </summary>
internal sealed partial class WebChatInstaller(ConvergeSettings settings, ILogger<WebChatInstaller> logger) : BackgroundService
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.WebChatAutoInstall || settings.HttpEndpoint is null || settings.WebChatDirectory is not { } directory || WebChatEndpoint.IsInstalled(directory))
        {
            return;
        }

        if (FindOnPath("npm") is not { } npm)
        {
            LogNoNpm(logger, directory);
            return;
        }

        LogInstalling(logger, WebChatEndpoint.Version, directory);
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(npm)
        {
            ArgumentList = { "install", "--prefix", directory, "--no-audit", "--no-fund", "--loglevel=error", "converse.js@" + WebChatEndpoint.Version },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(stoppingToken);
            var errors = process.StandardError.ReadToEndAsync(stoppingToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode == 0 && WebChatEndpoint.IsInstalled(directory))
            {
                LogInstalled(logger, directory);
            }
            else
            {
                LogInstallFailed(logger, process.ExitCode, (await errors.ConfigureAwait(false) + await output.ConfigureAwait(false)).Trim());
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogInstallFailed(logger, -1, $"npm did not finish within {InstallTimeout.TotalMinutes:0} minutes");
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            LogInstallFailed(logger, -1, e.Message);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Web chat: installing Converse.js {Version} with npm into {Directory} (WebChat.AutoInstall)")]
    private static partial void LogInstalling(ILogger logger, string version, string directory);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "Web chat: Converse.js installed into {Directory}; served at /")]
    private static partial void LogInstalled(ILogger logger, string directory);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Web chat: npm could not install Converse.js (exit {ExitCode}): {Output}; / says how to install it by hand")]
    private static partial void LogInstallFailed(ILogger logger, int exitCode, string output);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Information, Message = "Web chat: Converse.js is not installed in {Directory} and npm is not on the PATH; / says how to install it")]
    private static partial void LogNoNpm(ILogger logger, string directory);
}
