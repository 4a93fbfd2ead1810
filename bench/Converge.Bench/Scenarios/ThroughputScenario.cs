using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// U users online in pairs (user 2k with 2k+1), chatting. First a closed loop: each pair starts
/// with W messages in flight (half each way) and each user sends one more for each it receives,
/// so W messages per pair are always under way and the rate is the most the server (and this
/// machine) carries. Then an open loop at a fixed rate, half that peak unless --rate is given,
/// for the latency of a server that is not saturated; latencies there are measured from each
/// message's scheduled send time, so a stalled server is not excused by a stalled sender.
/// The federation scenario is the same load between two providers (--peer-port): user 2k on the
/// first server, user 2k+1 on the second, every message crossing a server-to-server link.
/// </summary>
internal sealed class ThroughputScenario : IScenario, IStanzaHandler
{
    private const int WarmupPhase = 0;
    private const int PeakPhase = 1;
    private const int FixedPhase = 4;

    // A link probe carries timestamp 0: it is neither counted nor answered, so it may be sent again.
    private const long LinkProbe = 0;
    private static readonly TimeSpan LinkTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _failures = [];

    // 0 warm-up (replying), 1 peak measured (replying), 2 draining, 3 fixed warm-up, 4 fixed measured, 5 done.
    private int _phase;
    private long _bounced;
    private string? _firstBounce;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["window"] = options.Window.ToString(CultureInfo.InvariantCulture);
        result.Parameters["body_bytes"] = options.BodySize.ToString(CultureInfo.InvariantCulture);

        var (connections, failures, loginTime) = await context.OpenSessionsAsync(options.Users, null, this, "logging in").ConfigureAwait(false);
        if (failures > 0)
        {
            result.Notes.Add($"{failures} users could not log in; their partners send nothing");
        }

        var peers = new ChatPeer?[options.Users];
        for (var i = 0; i < options.Users; i++)
        {
            if (connections[i] is { } c && connections[i ^ 1] is not null)
            {
                peers[i] = new ChatPeer(c, new ChatMessage(context.BareJid(i ^ 1), options.BodySize));
                c.State = peers[i];
            }
        }

        var active = peers.OfType<ChatPeer>().ToArray();
        foreach (var peer in active)
        {
            peer.Partner = peers[peer.Connection.Index ^ 1];
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var loops = connections.OfType<BenchConnection>().Select(c => Task.Run(() => ReadAsync(c, stop.Token))).ToArray();
        result.Add("pairs chatting", active.Length / 2, "pairs");
        result.Add("login of all users", loginTime.TotalSeconds, "s");

        try
        {
            if (options.PeerPort is not null && !await LinkUpAsync(context, active, result).ConfigureAwait(false))
            {
                return result;
            }

            var peak = await RunClosedLoopAsync(context, active).ConfigureAwait(false);
            var peakRate = peak.Delivered / peak.Interval.Elapsed.TotalSeconds;
            Report(result, " (peak)", peak);

            var lost = await DrainAsync(active).ConfigureAwait(false);
            result.Add("undelivered after peak run", lost, "messages", "lower");
            NoteStarvedUsers(result, active, context);

            var rate = options.Rate ?? peakRate / 2;
            if (rate >= 1)
            {
                var fixedRun = await RunFixedRateAsync(context, active, rate).ConfigureAwait(false);
                result.Add("offered rate (fixed)", rate, "msg/s");
                Report(result, " (fixed)", fixedRun);
                result.Add("undelivered after fixed run", await DrainAsync(active).ConfigureAwait(false), "messages", "lower");
            }
        }
        finally
        {
            Volatile.Write(ref _phase, 5);
            await ScenarioContext.EndSessionsAsync(connections, loops, stop).ConfigureAwait(false);
        }

        lock (_failures)
        {
            result.Notes.AddRange(_failures);
        }

        if (Interlocked.Read(ref _bounced) > 0)
        {
            result.Notes.Add($"{_bounced} messages came back as errors; the first: {_firstBounce}");
        }

        return result;
    }

    public void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt)
    {
        if (connection.State is not ChatPeer peer || !StanzaBytes.IsNamed(element, "message"u8))
        {
            ServerRequests.TryAnswer(element, connection.Replies);
            return;
        }

        if (StanzaBytes.AttributeEquals(element, "type"u8, "error"u8))
        {
            // An error carries the bounced message's body: it must not count as delivered.
            Interlocked.Increment(ref _bounced);
            Interlocked.CompareExchange(ref _firstBounce, System.Text.Encoding.UTF8.GetString(element[..Math.Min(300, element.Length)]), null);
            return;
        }

        if (!StanzaBytes.TryGetChildText(element, "body"u8, out var body) || !ChatMessage.TryReadTimestamp(body, out var sentAt))
        {
            return;
        }

        if (sentAt == LinkProbe)
        {
            peer.ReachedByPartner = true;
            return;
        }

        peer.Received++;
        var phase = Volatile.Read(ref _phase);
        if (phase is PeakPhase or FixedPhase)
        {
            peer.Latency[phase].RecordTicks(receivedAt - sentAt);
        }

        if (phase is WarmupPhase or PeakPhase)
        {
            peer.Message.Write(connection.Replies, Stopwatch.GetTimestamp());
            peer.SentByReadLoop++;
        }
    }

    // The first messages over a fresh server-to-server link wait for it (SRV lookup, TCP, TLS,
    // dialback, in each direction): every user sends its partner a probe, again every 2 s until
    // the partner has one, and the load starts once every user has heard from the other server.
    private async Task<bool> LinkUpAsync(ScenarioContext context, ChatPeer[] peers, ScenarioResult result)
    {
        var token = context.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        var buffer = new ArrayBufferWriter<byte>();
        int Waiting() => peers.Count(p => !p.ReachedByPartner);
        await using (new ProgressLine(() => $"[{context.Options.ServerName}] {context.Options.Scenario}: waiting for messages to cross both ways, {Waiting()} of {peers.Length} users not reached yet"))
        {
            while (Waiting() > 0 && Stopwatch.GetElapsedTime(started) < LinkTimeout)
            {
                foreach (var peer in peers)
                {
                    if (peer.Partner is { ReachedByPartner: false })
                    {
                        buffer.ResetWrittenCount();
                        peer.Message.Write(buffer, LinkProbe);
                        await peer.Connection.SendAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
                    }
                }

                for (var i = 0; i < 20 && Waiting() > 0; i++)
                {
                    await Task.Delay(100, token).ConfigureAwait(false);
                }
            }
        }

        result.Add("server-to-server links up", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");
        var waiting = Waiting();
        if (waiting > 0)
        {
            result.Notes.Add($"after {LinkTimeout.TotalSeconds:0} s, {waiting} of {peers.Length} users had not received a message from their partner on the other server: no load was run");
        }

        return waiting == 0;
    }

    private async Task<Run> RunClosedLoopAsync(ScenarioContext context, ChatPeer[] peers)
    {
        var options = context.Options;
        var token = context.CancellationToken;
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var peer in peers)
        {
            // The window is per pair: half of it each way (the even user of the pair takes an odd one).
            var share = (options.Window / 2) + ((peer.Connection.Index % 2 == 0) ? options.Window % 2 : 0);
            buffer.ResetWrittenCount();
            for (var i = 0; i < share; i++)
            {
                peer.Message.Write(buffer, Stopwatch.GetTimestamp());
            }

            if (share > 0)
            {
                await peer.Connection.SendAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
                peer.SentOutsideReadLoop += share;
            }
        }

        return await MeasureAsync(context, peers, "peak", PeakPhase).ConfigureAwait(false);
    }

    private async Task<Run> RunFixedRateAsync(ScenarioContext context, ChatPeer[] peers, double rate)
    {
        Volatile.Write(ref _phase, FixedPhase - 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var pacer = Task.Run(() => PaceAsync(peers, rate, stop.Token));
        try
        {
            return await MeasureAsync(context, peers, $"fixed {rate:0}/s", FixedPhase).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pacer.ConfigureAwait(false);
        }
    }

    // Warm-up, then the measured interval of the given phase.
    private async Task<Run> MeasureAsync(ScenarioContext context, ChatPeer[] peers, string label, int phase)
    {
        var options = context.Options;
        var token = context.CancellationToken;
        var name = options.ServerName;
        var phaseStarted = Stopwatch.GetTimestamp();
        long lastReceived = 0;
        long lastTime = phaseStarted;
        await using (new ProgressLine(() =>
        {
            var received = peers.Sum(p => p.Received);
            var now = Stopwatch.GetTimestamp();
            var rate = (received - lastReceived) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
            (lastReceived, lastTime) = (received, now);
            var state = Volatile.Read(ref _phase) == phase ? "measuring" : "warming up";
            return $"[{name}] {options.Scenario} {label}: {state} {Stopwatch.GetElapsedTime(phaseStarted).TotalSeconds:0}s, {rate:0} msg/s delivered";
        }))
        {
            await Task.Delay(options.Warmup, token).ConfigureAwait(false);
            var receivedBefore = peers.Sum(p => p.Received);
            var measurement = Measurement.Start(context.Server);
            Volatile.Write(ref _phase, phase);
            await Task.Delay(options.Duration, token).ConfigureAwait(false);
            Volatile.Write(ref _phase, phase + 1);
            var interval = measurement.Stop();
            var delivered = peers.Sum(p => p.Received) - receivedBefore;
            var latency = new LatencyHistogram();
            foreach (var peer in peers)
            {
                latency.Add(peer.Latency[phase]);
            }

            return new Run(delivered, interval, latency);
        }
    }

    // Open loop: message k goes out at start + k/rate from user k mod U, whatever the server does.
    // Each tick writes what is due, one write per connection, all connections at once: a pacer
    // that awaited each message in turn would itself cap the rate (at ~20,000/s here).
    private async Task PaceAsync(ChatPeer[] peers, double rate, CancellationToken token)
    {
        var pending = peers.Select(_ => new ArrayBufferWriter<byte>(512)).ToArray();
        var touched = new List<int>(peers.Length);
        var writes = new List<Task>(peers.Length);
        var start = Stopwatch.GetTimestamp();
        var ticksPerMessage = Stopwatch.Frequency / rate;
        long sent = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate);
                for (; sent < due; sent++)
                {
                    var p = (int)(sent % peers.Length);
                    if (pending[p].WrittenCount == 0)
                    {
                        touched.Add(p);
                    }

                    peers[p].Message.Write(pending[p], start + (long)(sent * ticksPerMessage));
                    peers[p].SentOutsideReadLoop++;
                }

                // Not cancellable: what was counted as sent is sent, so the drain can account for it.
                foreach (var p in touched)
                {
                    writes.Add(peers[p].Connection.SendAsync(pending[p].WrittenMemory, CancellationToken.None));
                }

                await Task.WhenAll(writes).ConfigureAwait(false);
                foreach (var p in touched)
                {
                    pending[p].ResetWrittenCount();
                }

                writes.Clear();
                touched.Clear();
                await Task.Delay(1, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The measured interval is over.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Failure("the fixed-rate sender stopped: " + e.Message);
        }
    }

    // Waits until every message sent has arrived, or nothing has arrived for 20 s (a saturated server
    // may hold thousands of messages for several seconds and deliver them in bursts); returns how many did not.
    private async Task<long> DrainAsync(ChatPeer[] peers)
    {
        if (Volatile.Read(ref _phase) <= PeakPhase + 1)
        {
            Volatile.Write(ref _phase, PeakPhase + 1);
        }

        var received = peers.Sum(p => p.Received);
        var progress = Stopwatch.GetTimestamp();
        long missing;
        while ((missing = peers.Sum(p => p.Sent) - received) > 0 && Stopwatch.GetElapsedTime(progress) < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50).ConfigureAwait(false);
            var now = peers.Sum(p => p.Received);
            if (now != received)
            {
                (received, progress) = (now, Stopwatch.GetTimestamp());
            }
        }

        return Math.Max(0, missing);
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
            if (Volatile.Read(ref _phase) < 5)
            {
                Failure($"session {connection.BoundJid} broke: {e.Message}");
            }
        }
    }

    private void Failure(string what)
    {
        lock (_failures)
        {
            if (_failures.Count < 5)
            {
                _failures.Add(what);
            }
        }
    }

    // Undelivered messages concentrated on a few users point at the server (or a broken session), not at load.
    private static void NoteStarvedUsers(ScenarioResult result, ChatPeer[] peers, ScenarioContext context)
    {
        var starved = peers.Where(p => p.Received < peers[0].Sent / 10 && peers.Length > 1).Select(p => context.Options.UserName(p.Connection.Index)).ToList();
        if (starved.Count > 0)
        {
            result.Notes.Add($"{starved.Count} users received under a tenth of what their partners sent: {string.Join(", ", starved.Take(10))}");
        }
    }

    private static void Report(ScenarioResult result, string phase, Run run)
    {
        result.Add("delivered" + phase, run.Delivered / run.Interval.Elapsed.TotalSeconds, "msg/s", "higher");
        result.Add("latency p50" + phase, run.Latency.QuantileMilliseconds(0.50), "ms", "lower");
        result.Add("latency p99" + phase, run.Latency.QuantileMilliseconds(0.99), "ms", "lower");
        result.Add("latency max" + phase, run.Latency.MaxMicroseconds / 1000.0, "ms", "lower");
        ScenarioContext.AddCpu(result, phase, run.Interval, run.Delivered, "message");
    }

    private sealed record Run(long Delivered, MeasuredInterval Interval, LatencyHistogram Latency);

    /// <summary>One user of a pair; its counters are written by one thread each and read for progress.</summary>
    private sealed class ChatPeer(BenchConnection connection, ChatMessage message)
    {
        public BenchConnection Connection { get; } = connection;

        public ChatMessage Message { get; } = message;

        public ChatPeer? Partner { get; set; }

        public LatencyHistogram[] Latency { get; } = [new(), new(), new(), new(), new()];

        public volatile bool ReachedByPartner;
        public long Received;
        public long SentByReadLoop;
        public long SentOutsideReadLoop;

        public long Sent => SentByReadLoop + SentOutsideReadLoop;
    }
}
