using System.Runtime.InteropServices;
using Converge.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Puts changed interconnection agreements and client limits in force without a restart: when the
/// configuration file changes (checked every two seconds) or on SIGHUP (<c>systemctl reload</c>), it
/// is read again; valid agreements replace the old ones at once and the reloadable limits
/// (<see cref="LiveLimits"/>) take their new values, while every session stays connected; an invalid
/// file is logged and everything in force stays. Operator tokens need none of this: the token file is
/// read again when it changes.
/// </summary>
internal sealed partial class AgreementReloader(ConvergeSettings settings, XmppService xmpp, ILogger<AgreementReloader> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ConfigFile is not { } file)
        {
            return;
        }

        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means "reload", not "stop"
            _signal.Release();
        });

        var stamp = File.GetLastWriteTimeUtc(file);
        while (!stoppingToken.IsCancellationRequested)
        {
            var signalled = await _signal.WaitAsync(Interval, stoppingToken).ConfigureAwait(false);
            var now = File.Exists(file) ? File.GetLastWriteTimeUtc(file) : stamp;
            if (!signalled && now == stamp)
            {
                continue;
            }

            stamp = now;
            await ReloadAsync(file).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the file again and puts its agreements in force; returns why not when it is invalid (the old ones stay).</summary>
    internal async Task<string?> ReloadAsync(string file)
    {
        try
        {
            var loaded = ConfigurationLoader.Load(file, ConfigurationLoader.ProcessEnvironment());
            var agreements = loaded.Settings.Interconnection.Agreements;
            await xmpp.Server.UpdateAgreementsAsync(agreements).ConfigureAwait(false);
            var limits = LiveLimits.Apply(settings.ClientLimits, loaded.Settings.ClientLimits);
            LogReloaded(logger, agreements.Agreements.Count, agreements.Open);
            if (limits.Count > 0)
            {
                LogLimitsChanged(logger, string.Join(", ", limits));
            }

            return null;
        }
        catch (ConfigurationException e)
        {
            LogRejected(logger, e.Message);
            return e.Message;
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Configuration reloaded: {Count} interconnection agreements in force (open federation: {Open}); listeners, storage and the other settings apply at the next start")]
    private static partial void LogReloaded(ILogger logger, int count, bool open);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Configuration change not applied, the agreements in force stay: {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Information, Message = "Configuration reloaded: client limits changed in the running server: {Changes}")]
    private static partial void LogLimitsChanged(ILogger logger, string changes);
}
