using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// Every user online with a roster of --contacts mutual ("both") subscriptions - its neighbours
/// i±1..i±C/2 on a ring - changing presence; the server broadcasts each change to the contacts.
/// Rosters are built over XMPP itself when a user's roster is not complete yet, so every server
/// is provisioned the same way. A closed loop: each user keeps --presence-window changes in
/// flight; a change is done when all its contacts have received it (the receivers are in this
/// process and tell the sender), or after 10 s without progress (then counted as lost).
/// `converge-bench provision --contacts` (and compare.sh for ejabberd) writes these rosters into
/// the servers' stores beforehand, so that the measurement does not start while a server still
/// works through 20,000 subscription handshakes.
/// </summary>
internal sealed class PresenceScenario : IScenario, IStanzaHandler
{
    private const int Subscribing = 0;
    private const int Measured = 2;

    private static readonly byte[] StatusPrefix = "<presence><show>chat</show><status>"u8.ToArray();
    private static readonly byte[] StatusSuffix = " changing presence</status></presence>"u8.ToArray();

    private PresencePeer[] _peers = [];
    private int _phase;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["contacts"] = options.Contacts.ToString(CultureInfo.InvariantCulture);
        result.Parameters["presence_window"] = options.PresenceWindow.ToString(CultureInfo.InvariantCulture);

        _peers = [.. Enumerable.Range(0, options.Users).Select(i => new PresencePeer(i, Encoding.UTF8.GetBytes(context.BareJid(i))))];
        var (connections, failures, loginTime) = await context.OpenSessionsAsync(options.Users, null, this, "logging in").ConfigureAwait(false);
        result.Add("login of all users", loginTime.TotalSeconds, "s");
        if (failures > 0)
        {
            result.Notes.Add($"{failures} users could not log in");
        }

        for (var i = 0; i < options.Users; i++)
        {
            if (connections[i] is { } c)
            {
                var peer = _peers[i];
                c.State = peer;
                peer.Connection = c;
                peer.Forward = [.. RingContacts.Forward(i, options.Users, options.Contacts).Select(context.BareJid)];
                peer.Backward = [.. RingContacts.Backward(i, options.Users, options.Contacts).Select(context.BareJid)];
                peer.RosterComplete = Occurrences(c.Roster, "subscription='both'"u8) + Occurrences(c.Roster, "subscription=\"both\""u8)
                    >= peer.ContactCount;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var loops = connections.OfType<BenchConnection>().Select(c => Task.Run(() => ReadAsync(c, stop.Token))).ToArray();
        var online = _peers.Where(p => p.Connection is not null).ToArray();
        try
        {
            var setUp = await SubscribeAsync(context, online, forward: true).ConfigureAwait(false)
                + await SubscribeAsync(context, online, forward: false).ConfigureAwait(false);
            result.Add("roster set-up", setUp.TotalSeconds, "s");
            var incomplete = online.Count(p => p.Subscribed < p.ContactCount);
            if (incomplete > 0)
            {
                result.Notes.Add($"{incomplete} users did not get every subscription approved");
            }

            await MeasureAsync(context, online, result, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _phase, Measured + 1);
            await ScenarioContext.EndSessionsAsync(connections, loops, stop).ConfigureAwait(false);
        }

        return result;
    }

    public void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt)
    {
        if (!StanzaBytes.IsNamed(element, "presence"u8))
        {
            ServerRequests.TryAnswer(element, connection.Replies);
            return;
        }

        if (!StanzaBytes.TryGetAttribute(element, "from"u8, out var from))
        {
            return;
        }

        if (StanzaBytes.TryGetAttribute(element, "type"u8, out var type))
        {
            if (type.SequenceEqual("subscribe"u8))
            {
                connection.Replies.Write("<presence to='"u8);
                connection.Replies.Write(from);
                connection.Replies.Write("' type='subscribed'/>"u8);
            }
            else if (type.SequenceEqual("subscribed"u8) && connection.State is PresencePeer subscriber)
            {
                Interlocked.Increment(ref subscriber.Subscribed);
            }

            return;
        }

        if (connection.State is not PresencePeer peer
            || IsFrom(from, peer.BareJid)
            || !StanzaBytes.TryGetChildText(element, "status"u8, out var status)
            || !Utf8Parser.TryParse(status, out long sentAt, out var consumed)
            || !Utf8Parser.TryParse(status[Math.Min(consumed + 1, status.Length)..], out int sender, out _)
            || (uint)sender >= (uint)_peers.Length)
        {
            return;
        }

        peer.Received++;
        Interlocked.Increment(ref _peers[sender].Acknowledged);
        if (Volatile.Read(ref _phase) == Measured)
        {
            peer.Latency.RecordTicks(receivedAt - sentAt);
        }
    }

    // One direction of the ring at a time: each subscription then runs subscribe -> subscribed
    // without the contact subscribing back at the same moment (a race not every server survives).
    private static async Task<TimeSpan> SubscribeAsync(ScenarioContext context, PresencePeer[] peers, bool forward)
    {
        var started = Stopwatch.GetTimestamp();
        var token = context.CancellationToken;
        foreach (var peer in peers)
        {
            var contacts = forward ? peer.Forward : peer.Backward;
            if (peer.RosterComplete)
            {
                peer.Subscribed += contacts.Length;
                continue;
            }

            peer.Expected += contacts.Length;
            var requests = new StringBuilder();
            foreach (var contact in contacts)
            {
                requests.Append(CultureInfo.InvariantCulture, $"<presence to='{contact}' type='subscribe'/>");
            }

            await peer.Connection!.SendAsync(requests.ToString(), token).ConfigureAwait(false);
        }

        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        var direction = forward ? "forward" : "backward";
        await using (new ProgressLine(() =>
            $"[{context.Options.ServerName}] presence: building rosters ({direction}), {peers.Count(Done)}/{peers.Length} users done"))
        {
            while (!peers.All(Done) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100, token).ConfigureAwait(false);
            }

            // Let the presence that follows each approval settle before going on.
            await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
        }

        return Stopwatch.GetElapsedTime(started);

        static bool Done(PresencePeer p) => p.RosterComplete || Volatile.Read(ref p.Subscribed) >= p.Expected;
    }

    private async Task MeasureAsync(ScenarioContext context, PresencePeer[] peers, ScenarioResult result, CancellationToken token)
    {
        var options = context.Options;
        Volatile.Write(ref _phase, Subscribing + 1);
        var driver = Task.Run(() => DriveAsync(peers, options.PresenceWindow, token), token);
        var started = Stopwatch.GetTimestamp();
        long lastReceived = 0;
        var lastTime = started;
        await using (new ProgressLine(() =>
        {
            var received = peers.Sum(p => p.Received);
            var now = Stopwatch.GetTimestamp();
            var rate = (received - lastReceived) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
            (lastReceived, lastTime) = (received, now);
            var state = Volatile.Read(ref _phase) == Measured ? "measuring" : "warming up";
            return $"[{options.ServerName}] presence: {state} {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s, {rate:0} presence/s delivered";
        }))
        {
            await Task.Delay(options.Warmup, token).ConfigureAwait(false);
            var before = peers.Sum(p => p.Received);
            var lostBefore = peers.Sum(p => p.Lost);
            var measurement = Measurement.Start(context.Server);
            Volatile.Write(ref _phase, Measured);
            await Task.Delay(options.Duration, token).ConfigureAwait(false);
            Volatile.Write(ref _phase, Measured + 1);
            var interval = measurement.Stop();
            var delivered = peers.Sum(p => p.Received) - before;
            var latency = new LatencyHistogram();
            foreach (var peer in peers)
            {
                latency.Add(peer.Latency);
            }

            result.Add("presence delivered", delivered / interval.Elapsed.TotalSeconds, "presence/s", "higher");
            result.Add("latency p50", latency.QuantileMilliseconds(0.5), "ms", "lower");
            result.Add("latency p99", latency.QuantileMilliseconds(0.99), "ms", "lower");
            ScenarioContext.AddCpu(result, "", interval, delivered, "presence delivered");
            result.Add("presence updates lost", peers.Sum(p => p.Lost) - lostBefore, "updates", "lower");
        }

        await driver.ConfigureAwait(false);
    }

    // Sends a user's next change when fewer than `window` of its changes are still on their way.
    private async Task DriveAsync(PresencePeer[] peers, int window, CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        // A change not fully delivered after 10 s (a contact missing from a roster) is written off,
        // so that one broken relation does not stop its user; a slow server is not hurried by it.
        var stall = 10 * Stopwatch.Frequency;
        try
        {
            while (Volatile.Read(ref _phase) <= Measured)
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var peer in peers)
                {
                    var fanout = peer.ContactCount;
                    var acknowledged = Volatile.Read(ref peer.Acknowledged);
                    if (acknowledged != peer.LastAcknowledged)
                    {
                        (peer.LastAcknowledged, peer.LastProgress) = (acknowledged, now);
                    }
                    else if (peer.Outstanding(acknowledged) > 0 && now - peer.LastProgress > stall)
                    {
                        peer.Lost += peer.Outstanding(acknowledged);
                        peer.Due = acknowledged;
                        peer.LastProgress = now;
                    }

                    if (peer.Outstanding(acknowledged) <= (long)(window - 1) * fanout)
                    {
                        buffer.ResetWrittenCount();
                        WriteChange(buffer, peer.Index);
                        peer.Due += fanout;
                        if (peer.Outstanding(acknowledged) == fanout)
                        {
                            peer.LastProgress = now;
                        }

                        await peer.Connection!.SendAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
                    }
                }

                await Task.Delay(1, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The run is over (or a connection was lost, which the results show).
        }
    }

    private static int Occurrences(ReadOnlySpan<byte> text, ReadOnlySpan<byte> fragment)
    {
        var count = 0;
        for (var at = text.IndexOf(fragment); at >= 0; at = text.IndexOf(fragment))
        {
            count++;
            text = text[(at + fragment.Length)..];
        }

        return count;
    }

    private static bool IsFrom(ReadOnlySpan<byte> from, byte[] bareJid) =>
        from.StartsWith(bareJid) && (from.Length == bareJid.Length || from[bareJid.Length] == (byte)'/');

    // <presence><show>chat</show><status>TIMESTAMP SENDER changing presence</status></presence>
    private static void WriteChange(IBufferWriter<byte> output, int sender)
    {
        var span = output.GetSpan(StatusPrefix.Length + 32 + StatusSuffix.Length);
        StatusPrefix.CopyTo(span);
        var at = StatusPrefix.Length;
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), span[at..], out var written);
        at += written;
        span[at++] = (byte)' ';
        Utf8Formatter.TryFormat(sender, span[at..], out written);
        at += written;
        StatusSuffix.CopyTo(span[at..]);
        output.Advance(at + StatusSuffix.Length);
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

    /// <summary>One user. Received and Latency belong to its read loop, Acknowledged to everyone's, the rest to the driver.</summary>
    private sealed class PresencePeer(int index, byte[] bareJid)
    {
        public int Index { get; } = index;

        public byte[] BareJid { get; } = bareJid;

        public BenchConnection? Connection { get; set; }

        public string[] Forward { get; set; } = [];

        public string[] Backward { get; set; } = [];

        public int ContactCount => Forward.Length + Backward.Length;

        public bool RosterComplete { get; set; }

        public LatencyHistogram Latency { get; } = new();

        public int Subscribed;
        public int Expected;
        public long Received;
        public long Acknowledged;

        // Driver state: deliveries owed for the changes sent so far, and when acknowledgements last moved.
        public long Due;
        public long LastAcknowledged;
        public long LastProgress;
        public long Lost;

        public long Outstanding(long acknowledged) => Due - acknowledged;
    }
}
