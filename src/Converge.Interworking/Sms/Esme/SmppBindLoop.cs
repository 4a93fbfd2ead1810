using Converge.Interworking.Sms.Pdus;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// Keeps one bind up: connect, bind_transceiver, serve until the connection ends, then reconnect
/// after an exponential backoff between <see cref="SmppOptions.ReconnectMin"/> and
/// <see cref="SmppOptions.ReconnectMax"/> (with jitter, so several binds do not reconnect in step).
/// A bind that came up resets the backoff.
/// </summary>
internal sealed class SmppBindLoop(int index, SmppOptions options, InboundMessageHandler handler, ILogger logger, Action onBound)
{
    private static readonly TimeSpan UnbindWait = TimeSpan.FromSeconds(2);

    private volatile SmppSession? _current;

    public int Index { get; } = index;

    /// <summary>The bound session, or null while connecting or reconnecting.</summary>
    public SmppSession? Current => _current is { IsBound: true } session ? session : null;

    public async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            SmppSession? session = null;
            try
            {
                session = await SmppSession.ConnectAsync(options, handler, logger, Index, stop, stop).ConfigureAwait(false);
                var smsc = await session.BindAsync(stop).ConfigureAwait(false);
                failures = 0;
                _current = session;
                SmppLog.Bound(logger, Index, options.Host, options.Port, options.SystemId, smsc);
                onBound();
                await session.Completion.WaitAsync(stop).ConfigureAwait(false);
                SmppLog.BindLost(logger, Index, session.CloseReason);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (SmscCertificateRefusedException)
            {
                // Logged with its reason where the handshake failed (5301); tried again after the backoff,
                // so a certificate fixed on the SMSC's side is picked up without a restart.
            }
            catch (SmppBindRefusedException refused)
            {
                SmppLog.BindRefused(logger, Index, refused.Status.ToString(), Backoff(failures));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                SmppLog.BindFailed(logger, Index, options.Host, options.Port, Backoff(failures), e);
            }
            finally
            {
                _current = null;
                if (session is not null)
                {
                    if (stop.IsCancellationRequested)
                    {
                        await session.UnbindAsync(UnbindWait).ConfigureAwait(false);
                    }

                    await session.DisposeAsync().ConfigureAwait(false);
                }
            }

            try
            {
                await Task.Delay(Backoff(failures++), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>ReconnectMin doubled per consecutive failure, capped at ReconnectMax, ±20 % jitter.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures, 16);
        var ticks = Math.Min(options.ReconnectMax.Ticks, options.ReconnectMin.Ticks * (1L << exponent));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromTicks((long)(ticks * jitter));
    }
}
