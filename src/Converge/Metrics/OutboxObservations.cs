using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Core.Storage;
using Microsoft.Extensions.Hosting;

namespace Converge.Metrics;

/// <summary>
/// The outbox per channel (depth, lanes, oldest waiting item's age), read from the store every few
/// seconds in the background: a scrape must not wait on storage, and an observable callback is synchronous.
/// </summary>
internal sealed class OutboxObservations : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    // A figure for a channel with a million lanes needs no more than the oldest few thousand to be right about age.
    private const int MaxLanesRead = 100_000;

    private readonly IStores _stores;
    private readonly TimeProvider _time;
    private volatile Snapshot _current = new([], DateTimeOffset.MinValue);

    public OutboxObservations(IStores stores, TimeProvider time)
    {
        _stores = stores;
        _time = time;
        var meter = ConvergeMeter.Meter;
        meter.CreateObservableGauge("converge.interworking.outbox.depth", () => Observe(s => s.Depth), "{message}", "Messages waiting in the outbox, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.lanes", () => Observe(s => s.Lanes), "{lane}", "Lanes (sender to recipient) with waiting messages, by channel");
        meter.CreateObservableGauge("converge.interworking.outbox.oldest_age", ObserveAge, "s", "Age of the oldest waiting message, by channel (0 when empty)");
    }

    /// <summary>Reads the outbox once now (also what the loop does); tests and the admin API call it for a fresh figure.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var lanes = await _stores.Outbox.LanesAsync(null, MaxLanesRead, cancellationToken).ConfigureAwait(false);
        var channels = new List<ChannelFigures>();
        foreach (var channel in new[] { OutboxChannel.Sms, OutboxChannel.Email })
        {
            var of = lanes.Where(l => l.Channel == channel).ToList();
            channels.Add(new ChannelFigures(
                channel, of.Sum(l => (long)l.Depth), of.Count, of.Count == 0 ? null : of.Min(l => l.Oldest)));
        }

        _current = new Snapshot(channels, _time.GetUtcNow());
    }

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

    private IEnumerable<Measurement<long>> Observe(Func<ChannelFigures, long> value) =>
        _current.Channels.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>("channel", Label(c.Channel))));

    private IEnumerable<Measurement<double>> ObserveAge()
    {
        var now = _time.GetUtcNow();
        return _current.Channels.Select(c => new Measurement<double>(
            c.Oldest is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, new KeyValuePair<string, object?>("channel", Label(c.Channel))));
    }

    private static string Label(OutboxChannel channel) => channel == OutboxChannel.Sms ? "sms" : "email";

    private sealed record ChannelFigures(OutboxChannel Channel, long Depth, int Lanes, DateTimeOffset? Oldest);

    private sealed record Snapshot(IReadOnlyList<ChannelFigures> Channels, DateTimeOffset At);
}
