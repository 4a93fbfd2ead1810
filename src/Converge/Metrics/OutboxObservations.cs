using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Core.Storage;
using Converge.Http.Api;
using Microsoft.Extensions.Hosting;

namespace Converge.Metrics;

/// <summary>
/// The interworking function's stored state: the outbox per channel (depth, lanes, oldest waiting
/// item's age) and the SMS pool-number bindings in use, read from the store every few seconds in the
/// background: a scrape must not wait on storage, and an observable callback is synchronous.
/// </summary>
internal sealed class OutboxObservations : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly IStores _stores;
    private readonly TimeProvider _time;
    private readonly int _poolSize;
    private volatile List<OutboxChannelView> _current = [];
    private long _poolBindings;

    public OutboxObservations(IStores stores, TimeProvider time, Configuration.ConvergeSettings settings)
    {
        _stores = stores;
        _time = time;
        _poolSize = settings.Sms?.SourceNumbers.Count ?? 0;
        var meter = ConvergeMeter.Meter;
        meter.CreateObservableGauge("converge.interworking.outbox.depth", () => Observe(s => s.Depth), "{message}", "Messages waiting in the outbox, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.lanes", () => Observe(s => s.Lanes), "{lane}", "Lanes (sender to recipient) with waiting messages, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.oldest_age", ObserveAge, "s", "Age of the oldest waiting message, by channel (0 when empty)");
        if (settings.Sms is not null)
        {
            // Without an SMS gateway there is no pool, and a zero would suggest one that is idle.
            meter.CreateObservableGauge("converge.interworking.pool.bindings", () => SmsMeasurement(Interlocked.Read(ref _poolBindings)), "{binding}", "SMS pool-number bindings in use: (pool number, correspondent) pairs that route a reply to a CPM user's thread");
            meter.CreateObservableGauge("converge.interworking.pool.numbers", () => SmsMeasurement(_poolSize), "{number}", "Numbers in the SMS source-number pool (Sms.SourceNumbers); one correspondent can be in conversation with at most this many users without a number of their own");
        }
    }

    /// <summary>SMS pool-number bindings in use, as last read from the store.</summary>
    public long PoolBindings => Interlocked.Read(ref _poolBindings);

    /// <summary>Reads the outbox and the pool bindings once now (also what the loop does).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        _current = await OutboxApi.SummarizeAsync(_stores.Outbox, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _poolBindings, await _stores.ThreadMap.CountBindingsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static Measurement<long> SmsMeasurement(long value) => new(value, new KeyValuePair<string, object?>("channel", "sms"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Every, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // The next pass tries again; the gauges keep the last figures meanwhile.
                await Task.Delay(Every, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<OutboxChannelView, long> value) =>
        _current.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>("channel", c.Channel)));

    // The age grows between reads: computed at scrape time from the oldest item's time.
    private IEnumerable<Measurement<double>> ObserveAge()
    {
        var now = _time.GetUtcNow();
        return _current.Select(c => new Measurement<double>(
            c.Oldest is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, new KeyValuePair<string, object?>("channel", c.Channel)));
    }
}
