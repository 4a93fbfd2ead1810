using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Core.Storage;
using Converge.Http.Api;
using Microsoft.Extensions.Hosting;

namespace Converge.Metrics;

/// <summary>
/// The outbox per channel (depth, lanes, oldest waiting item's age), read from the store every few
/// seconds in the background: a scrape must not wait on storage, and an observable callback is synchronous.
/// </summary>
internal sealed class OutboxObservations : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly IStores _stores;
    private readonly TimeProvider _time;
    private volatile List<OutboxChannelView> _current = [];

    public OutboxObservations(IStores stores, TimeProvider time)
    {
        _stores = stores;
        _time = time;
        var meter = ConvergeMeter.Meter;
        meter.CreateObservableGauge("converge.interworking.outbox.depth", () => Observe(s => s.Depth), "{message}", "Messages waiting in the outbox, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.lanes", () => Observe(s => s.Lanes), "{lane}", "Lanes (sender to recipient) with waiting messages, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.oldest_age", ObserveAge, "s", "Age of the oldest waiting message, by channel (0 when empty)");
    }

    /// <summary>Reads the outbox once now (also what the loop does).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        _current = await OutboxApi.SummarizeAsync(_stores.Outbox, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

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
