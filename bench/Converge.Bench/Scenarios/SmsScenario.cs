using System.Diagnostics;
using System.Globalization;
using System.Net;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Smpp;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// XMPP messages that the server turns into SMS: users 2k send to the phone number
/// +49176&lt;k, 8 digits&gt;, which is nobody's account, so the server's technology selection hands
/// them to its SMPP client, which submits them to the SMSC stub this process runs (--smsc-port;
/// the server is configured with it as its SMSC). Each sender keeps --window messages not yet
/// submitted; a message counts when its submit_sm reaches the stub (answered at once). Only a
/// server with SMS interworking (Converge) can run it.
/// </summary>
internal sealed class SmsScenario : IScenario, IStanzaHandler
{
    public const string NumberPrefix = "+49176";

    private Sender[] _senders = [];
    private volatile bool _measuring;
    private volatile bool _running = true;
    private string? _firstError;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["window"] = options.Window.ToString(CultureInfo.InvariantCulture);
        if (options.SmscPort is not { } port)
        {
            result.Notes.Add("no --smsc-port: the server's SMSC must be this process's stub");
            return result;
        }

        result.Parameters["smsc"] = $"127.0.0.1:{port}";
        await using var smsc = new SmscStub(new IPEndPoint(IPAddress.Loopback, port));
        smsc.OnSubmit = OnSubmit;
        smsc.Start();
        if (!await WaitForBindAsync(context, smsc).ConfigureAwait(false))
        {
            result.Notes.Add("the server did not bind to the SMSC stub within 60 s (is Sms.Smsc set to the stub?)");
            return result;
        }

        var senderCount = options.Users / 2;
        var (connections, failures, loginTime) = await context.OpenSessionsAsync(
            senderCount, i => context.RequestFor(2 * i), this, "logging in the senders").ConfigureAwait(false);
        result.Add("login of the senders", loginTime.TotalSeconds, "s");
        if (failures > 0)
        {
            result.Notes.Add($"{failures} senders could not log in");
        }

        _senders = [.. Enumerable.Range(0, senderCount).Select(i => new Sender(
            connections[i],
            new ChatMessage(string.Create(CultureInfo.InvariantCulture, $"{NumberPrefix}{i:D8}@{options.Domain}"), options.BodySize)))];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var loops = connections.OfType<BenchConnection>().Select(c => Task.Run(() => ReadAsync(c, stop.Token))).ToArray();
        var active = _senders.Where(s => s.Connection is not null).ToArray();
        var driver = Task.Run(() => DriveAsync(active, options.Window, stop.Token));
        try
        {
            await MeasureAsync(context, active, result).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
            await driver.ConfigureAwait(false);
            await ScenarioContext.EndSessionsAsync(connections, loops, stop).ConfigureAwait(false);
        }

        if (_firstError is not null)
        {
            result.Notes.Add("first error returned to a sender: " + _firstError);
        }

        return result;
    }

    public void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt)
    {
        if (StanzaBytes.IsNamed(element, "message"u8) && StanzaBytes.AttributeEquals(element, "type"u8, "error"u8))
        {
            Interlocked.CompareExchange(ref _firstError, System.Text.Encoding.UTF8.GetString(element[..Math.Min(300, element.Length)]), null);
            return;
        }

        ServerRequests.TryAnswer(element, connection.Replies);
    }

    // On the stub's read loop: which sender (from the destination number) and how late (from the text).
    private void OnSubmit(string destination, ReadOnlyMemory<byte> text)
    {
        var digits = destination.AsSpan().TrimStart('+');
        if (digits.Length < 8 || !int.TryParse(digits[^8..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || (uint)index >= (uint)_senders.Length)
        {
            return;
        }

        var sender = _senders[index];
        Interlocked.Increment(ref sender.Submitted);
        var span = text.Span;
        var start = span.IndexOfAnyInRange((byte)'0', (byte)'9');
        if (_measuring && start >= 0 && ChatMessage.TryReadTimestamp(span[start..], out var sentAt))
        {
            lock (sender.Latency)
            {
                sender.Latency.RecordTicks(Stopwatch.GetTimestamp() - sentAt);
            }
        }
    }

    private static async Task<bool> WaitForBindAsync(ScenarioContext context, SmscStub smsc)
    {
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressLine(() => $"[{context.Options.ServerName}] sms: waiting for the server to bind to the SMSC stub"))
        {
            while (smsc.Binds == 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200, context.CancellationToken).ConfigureAwait(false);
            }
        }

        return smsc.Binds > 0;
    }

    // Tops every sender up to `window` messages not yet submitted, every millisecond.
    private async Task DriveAsync(Sender[] senders, int window, CancellationToken token)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        try
        {
            while (_running)
            {
                foreach (var sender in senders)
                {
                    var due = window - (sender.Sent - Volatile.Read(ref sender.Submitted));
                    if (due <= 0)
                    {
                        continue;
                    }

                    buffer.ResetWrittenCount();
                    for (var i = 0; i < due; i++)
                    {
                        sender.Message.Write(buffer, Stopwatch.GetTimestamp());
                    }

                    sender.Sent += due;
                    await sender.Connection!.SendAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
                }

                await Task.Delay(1, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The run is over, or a session broke (the rate shows it).
        }
    }

    private async Task MeasureAsync(ScenarioContext context, Sender[] senders, ScenarioResult result)
    {
        var options = context.Options;
        var token = context.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        long last = 0;
        var lastTime = started;
        await using (new ProgressLine(() =>
        {
            var submitted = senders.Sum(s => Volatile.Read(ref s.Submitted));
            var now = Stopwatch.GetTimestamp();
            var rate = (submitted - last) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
            (last, lastTime) = (submitted, now);
            return $"[{options.ServerName}] sms: {(_measuring ? "measuring" : "warming up")} {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s, {rate:0} submit_sm/s";
        }))
        {
            await Task.Delay(options.Warmup, token).ConfigureAwait(false);
            var before = senders.Sum(s => Volatile.Read(ref s.Submitted));
            var measurement = Measurement.Start(context.Server);
            _measuring = true;
            await Task.Delay(options.Duration, token).ConfigureAwait(false);
            _measuring = false;
            var interval = measurement.Stop();
            var submitted = senders.Sum(s => Volatile.Read(ref s.Submitted)) - before;
            var latency = new LatencyHistogram();
            foreach (var sender in senders)
            {
                lock (sender.Latency)
                {
                    latency.Add(sender.Latency);
                }
            }

            result.Add("submit_sm to the SMSC", submitted / interval.Elapsed.TotalSeconds, "submits/s", "higher");
            result.Add("XMPP to SMSC p50", latency.QuantileMilliseconds(0.5), "ms", "lower");
            result.Add("XMPP to SMSC p99", latency.QuantileMilliseconds(0.99), "ms", "lower");
            ScenarioContext.AddCpu(result, "", interval, submitted, "submit");
        }
    }

    private async Task ReadAsync(BenchConnection connection, CancellationToken token)
    {
        try
        {
            await connection.RunAsync(this, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed at the end of the run.
        }
    }

    /// <summary>One online user texting its own phone number; Sent belongs to the driver, Submitted to the stub.</summary>
    private sealed class Sender(BenchConnection? connection, ChatMessage message)
    {
        public BenchConnection? Connection { get; } = connection;

        public ChatMessage Message { get; } = message;

        public LatencyHistogram Latency { get; } = new();

        public long Sent;
        public long Submitted;
    }
}
