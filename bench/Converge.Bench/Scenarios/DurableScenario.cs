using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// The throughput scenario with every recipient offline, so that each message is committed to
/// storage (offline store, and the archive where the server keeps one). Users 2k are online and
/// send to users 2k+1, who never log in. A message counts once the server has taken it: each one
/// is followed by an XEP-0199 ping, and servers handle a session's stanzas in order, so the ping's
/// result means the message before it has been stored. Each sender keeps --window messages
/// unacknowledged.
/// </summary>
internal sealed class DurableScenario : IScenario, IStanzaHandler
{
    private const int Measured = 1;

    private readonly List<string> _failures = [];
    private int _phase;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["window"] = options.Window.ToString(CultureInfo.InvariantCulture);
        result.Parameters["body_bytes"] = options.BodySize.ToString(CultureInfo.InvariantCulture);

        var senders = options.Users / 2;
        var (connections, failures, loginTime) = await context.OpenSessionsAsync(
            senders, i => context.RequestFor(2 * i), this, "logging in the senders").ConfigureAwait(false);
        result.Add("login of the senders", loginTime.TotalSeconds, "s");
        if (failures > 0)
        {
            result.Notes.Add($"{failures} senders could not log in");
        }

        var peers = new List<Sender>();
        for (var i = 0; i < senders; i++)
        {
            if (connections[i] is { } c)
            {
                var sender = new Sender(c, new ChatMessage(context.BareJid((2 * i) + 1), options.BodySize), options.Domain);
                c.State = sender;
                peers.Add(sender);
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var loops = connections.OfType<BenchConnection>().Select(c => Task.Run(() => ReadAsync(c, stop.Token))).ToArray();
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            foreach (var peer in peers)
            {
                buffer.ResetWrittenCount();
                for (var i = 0; i < options.Window; i++)
                {
                    peer.WriteNext(buffer);
                }

                await peer.Connection.SendAsync(buffer.WrittenMemory, context.CancellationToken).ConfigureAwait(false);
            }

            await MeasureAsync(context, [.. peers], result).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _phase, Measured + 1);
            await ScenarioContext.EndSessionsAsync(connections, loops, stop).ConfigureAwait(false);
        }

        lock (_failures)
        {
            result.Notes.AddRange(_failures);
        }

        return result;
    }

    public void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt)
    {
        if (connection.State is not Sender sender)
        {
            ServerRequests.TryAnswer(element, connection.Replies);
            return;
        }

        if (StanzaBytes.IsNamed(element, "message"u8))
        {
            if (StanzaBytes.AttributeEquals(element, "type"u8, "error"u8))
            {
                sender.Refused++;
                Failure("a message was refused: " + System.Text.Encoding.UTF8.GetString(element[..Math.Min(element.Length, 300)]));
            }

            return;
        }

        if (!StanzaBytes.IsNamed(element, "iq"u8)
            || !StanzaBytes.TryGetAttribute(element, "id"u8, out var id)
            || id.Length < 2 || id[0] != (byte)'d')
        {
            ServerRequests.TryAnswer(element, connection.Replies);
            return;
        }

        // The ping's result: the message sent just before it is stored.
        if (sender.InFlight.TryDequeue(out var sentAt))
        {
            sender.Stored++;
            if (Volatile.Read(ref _phase) == Measured)
            {
                sender.Latency.RecordTicks(receivedAt - sentAt);
            }
        }

        if (Volatile.Read(ref _phase) <= Measured)
        {
            sender.WriteNext(connection.Replies);
        }
    }

    private async Task MeasureAsync(ScenarioContext context, Sender[] peers, ScenarioResult result)
    {
        var options = context.Options;
        var token = context.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        long lastStored = 0;
        var lastTime = started;
        await using (new ProgressLine(() =>
        {
            var stored = peers.Sum(p => p.Stored);
            var now = Stopwatch.GetTimestamp();
            var rate = (stored - lastStored) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
            (lastStored, lastTime) = (stored, now);
            var state = Volatile.Read(ref _phase) == Measured ? "measuring" : "warming up";
            return $"[{options.ServerName}] durable: {state} {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s, {rate:0} msg/s stored";
        }))
        {
            await Task.Delay(options.Warmup, token).ConfigureAwait(false);
            var before = peers.Sum(p => p.Stored);
            var measurement = Measurement.Start(context.Server);
            Volatile.Write(ref _phase, Measured);
            await Task.Delay(options.Duration, token).ConfigureAwait(false);
            Volatile.Write(ref _phase, Measured + 1);
            var interval = measurement.Stop();
            var stored = peers.Sum(p => p.Stored) - before;
            var latency = new LatencyHistogram();
            foreach (var peer in peers)
            {
                latency.Add(peer.Latency);
            }

            result.Add("stored (recipients offline)", stored / interval.Elapsed.TotalSeconds, "msg/s", "higher");
            result.Add("acknowledgement p50", latency.QuantileMilliseconds(0.5), "ms", "lower");
            result.Add("acknowledgement p99", latency.QuantileMilliseconds(0.99), "ms", "lower");
            ScenarioContext.AddCpu(result, "", interval, stored, "message");
            result.Add("messages refused", peers.Sum(p => p.Refused), "messages", "lower");
        }
    }

    private void Failure(string what)
    {
        lock (_failures)
        {
            if (_failures.Count < 3)
            {
                _failures.Add(what);
            }
        }
    }

    private async Task ReadAsync(BenchConnection connection, CancellationToken token)
    {
        try
        {
            await connection.RunAsync(this, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed at the end of the run.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (Volatile.Read(ref _phase) <= Measured)
            {
                Failure($"session {connection.BoundJid} broke: {e.Message}");
            }
        }
    }

    /// <summary>An online user sending to its offline partner; touched by its read loop only (after the first window).</summary>
    private sealed class Sender(BenchConnection connection, ChatMessage message, string domain)
    {
        private static readonly byte[] PingSuffix = "'><ping xmlns='urn:xmpp:ping'/></iq>"u8.ToArray();

        private readonly byte[] _pingPrefix = System.Text.Encoding.UTF8.GetBytes($"<iq type='get' to='{domain}' id='d");

        private long _next;

        public BenchConnection Connection { get; } = connection;

        public Queue<long> InFlight { get; } = new();

        public LatencyHistogram Latency { get; } = new();

        public long Stored;
        public long Refused;

        // The message, then the ping whose result says it is stored.
        public void WriteNext(IBufferWriter<byte> output)
        {
            var now = Stopwatch.GetTimestamp();
            message.Write(output, now);
            var span = output.GetSpan(_pingPrefix.Length + 20 + PingSuffix.Length);
            _pingPrefix.CopyTo(span);
            Utf8Formatter.TryFormat(_next++, span[_pingPrefix.Length..], out var written);
            PingSuffix.CopyTo(span[(_pingPrefix.Length + written)..]);
            output.Advance(_pingPrefix.Length + written + PingSuffix.Length);
            InFlight.Enqueue(now);
        }
    }
}
