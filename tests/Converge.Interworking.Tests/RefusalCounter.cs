using System.Diagnostics.Metrics;

namespace Converge.Interworking.Tests;

/// <summary>Listens to the refused-sender counter while it lives; other tests may count too, so check with at-least.</summary>
internal sealed class RefusalCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _sms;
    private long _email;

    public RefusalCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LegacySenderRefusals.MeterName && instrument.Name == LegacySenderRefusals.InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "channel", Value: "sms" })
                {
                    Interlocked.Add(ref _sms, value);
                }
                else if (tag is { Key: "channel", Value: "email" })
                {
                    Interlocked.Add(ref _email, value);
                }
            }
        });
        _listener.Start();
    }

    public long Sms => Interlocked.Read(ref _sms);

    public long Email => Interlocked.Read(ref _email);

    public void Dispose() => _listener.Dispose();
}
