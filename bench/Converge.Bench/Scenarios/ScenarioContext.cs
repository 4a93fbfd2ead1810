using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Converge.Bench.Cli;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>Everything a scenario needs: the options, the measured server's probe, and how to open sessions.</summary>
internal sealed class ScenarioContext
{
    private readonly EndPoint _server;
    private readonly EndPoint[] _nodes;
    private readonly EndPoint? _peer;
    private readonly IPAddress[] _sources;
    private int _nextSource;

    public ScenarioContext(RunOptions options, CancellationToken cancellationToken)
    {
        Options = options;
        CancellationToken = cancellationToken;
        Server = ProcessProbe.For([options.ServerPid, options.PeerServerPid, .. options.ServerPids.Select(p => (int?)p)]);
        _server = EndPointOf(options.Host, options.Ports.Count > 0 ? options.Ports[0] : options.Port);
        _nodes = [.. options.Ports.Select(p => EndPointOf(options.Host, p))];
        _peer = options.PeerPort is { } peerPort ? EndPointOf(options.Host, peerPort) : null;
        var address = (_server as IPEndPoint)?.Address;

        // Loopback has 2^24 addresses: spreading the clients' side over several keeps each one's
        // ephemeral ports (about 28,000) far from exhausted, TIME_WAIT included.
        _sources = address is not null && IPAddress.IsLoopback(address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? [.. Enumerable.Range(1, options.SourceAddresses).Select(i => new IPAddress(new byte[] { 127, 0, 0, (byte)i }))]
            : [];
    }

    public RunOptions Options { get; }

    public ProcessProbe? Server { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Waits (up to 3 minutes) until the server uses less than a tenth of a core, so that a scenario
    /// does not start while the server still works off the previous one (10,000 sessions closing,
    /// say). Returns how long it waited; without --server-pid it does not wait.
    /// </summary>
    public async Task<TimeSpan> WaitForIdleServerAsync()
    {
        if (Server is null)
        {
            return TimeSpan.Zero;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var before = Server.Sample().CpuTime;
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken).ConfigureAwait(false);
            var now = Server.Sample().CpuTime;
            if (now - before < TimeSpan.FromMilliseconds(100))
            {
                break;
            }

            before = now;
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Whether user <paramref name="userIndex"/> lives on the second provider: in a federation run
    /// (--peer-port) users 2k+1 do, so that each pair (2k, 2k+1) talks across the two servers.
    /// </summary>
    public bool OnPeer(int userIndex) => _peer is not null && userIndex % 2 == 1;

    /// <summary>
    /// The cluster node user <paramref name="userIndex"/> logs in on (--ports): pair k on nodes k and
    /// k+1 (mod N), so the two users of every pair are on different nodes and the pairs spread evenly.
    /// </summary>
    public int NodeOf(int userIndex) => _nodes.Length == 0 ? 0 : ((userIndex / 2) + (userIndex % 2)) % _nodes.Length;

    public string DomainOf(int userIndex) => OnPeer(userIndex) ? Options.PeerDomain! : Options.Domain;

    public LoginRequest RequestFor(int userIndex) => new(DomainOf(userIndex), Options.UserName(userIndex), Options.Password(userIndex));

    public string BareJid(int userIndex) => Options.UserName(userIndex) + "@" + DomainOf(userIndex);

    /// <summary>
    /// Opens a connection for user <paramref name="userIndex"/> and logs it in (or, against the
    /// relay, performs the fake handshake: optional TLS, then "RELAY index\n").
    /// </summary>
    public async Task<BenchConnection> OpenSessionAsync(
        int userIndex, int connectionIndex, LoginRequest? request, IStanzaHandler? strays, CancellationToken cancellationToken)
    {
        var source = _sources.Length == 0 ? null : _sources[(uint)Interlocked.Increment(ref _nextSource) % (uint)_sources.Length];
        var target = OnPeer(userIndex) ? _peer! : _nodes.Length > 0 ? _nodes[NodeOf(userIndex)] : _server;
        var connection = await BenchConnection.ConnectAsync(target, source, connectionIndex, cancellationToken).ConfigureAwait(false);
        try
        {
            if (Options.Relay)
            {
                if (Options.RelayTls)
                {
                    await connection.StartTlsAsync(Options.Domain, cancellationToken).ConfigureAwait(false);
                }

                await connection.SendAsync(string.Create(CultureInfo.InvariantCulture, $"RELAY {connectionIndex}\n"), cancellationToken).ConfigureAwait(false);
                connection.BoundJid = BareJid(userIndex);
            }
            else
            {
                await XmppLogin.RunAsync(connection, request ?? RequestFor(userIndex), strays, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> sessions, <see cref="RunOptions.Concurrency"/> at a time, with a
    /// progress line. Connection i belongs to user <c>i % Users</c>. Failures are counted, and the first
    /// few reported; more than 1% failing stops the run.
    /// </summary>
    public async Task<(BenchConnection?[] Connections, int Failures, TimeSpan Elapsed)> OpenSessionsAsync(
        int count, Func<int, LoginRequest>? request, IStanzaHandler? strays, string what)
    {
        var connections = new BenchConnection?[count];
        var done = 0;
        var failures = 0;
        var errors = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressLine(() => $"[{Options.ServerName}] {what}: {Volatile.Read(ref done)}/{count} sessions, {Volatile.Read(ref failures)} failed"))
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = Options.Concurrency, CancellationToken = CancellationToken },
                async (i, token) =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(60));
                    try
                    {
                        connections[i] = await OpenSessionAsync(i % Options.Users, i, request?.Invoke(i), strays, timeout.Token).ConfigureAwait(false);
                        Interlocked.Increment(ref done);
                    }
                    catch (Exception e) when (e is LoginException or IOException or System.Net.Sockets.SocketException
                        or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                    {
                        if (Interlocked.Increment(ref failures) <= 3)
                        {
                            lock (errors)
                            {
                                errors.AppendLine(CultureInfo.InvariantCulture, $"  session {i} ({Options.UserName(i % Options.Users)}): {e.Message}");
                            }
                        }

                        if (failures > Math.Max(10, count / 100))
                        {
                            throw new InvalidOperationException($"too many failed logins ({failures}); first ones:\n{errors}", e);
                        }
                    }
                }).ConfigureAwait(false);
        }

        if (errors.Length > 0)
        {
            await Console.Error.WriteAsync($"[{Options.ServerName}] {failures} of {count} sessions failed, first ones:\n{errors}").ConfigureAwait(false);
        }

        return (connections, failures, Stopwatch.GetElapsedTime(started));
    }

    private static EndPoint EndPointOf(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);

    public ScenarioResult NewResult()
    {
        var result = new ScenarioResult { Scenario = Options.Scenario, Server = Options.ServerName, Started = DateTimeOffset.UtcNow };
        result.Parameters["users"] = Options.Users.ToString(CultureInfo.InvariantCulture);
        result.Parameters["duration_s"] = Options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        result.Parameters["warmup_s"] = Options.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        result.Parameters["target"] = $"{Options.Host}:{Options.Port}";
        if (Options.PeerPort is { } peerPort)
        {
            result.Parameters["peer"] = $"{Options.Host}:{peerPort} ({Options.PeerDomain})";
        }

        if (Options.Ports.Count > 0)
        {
            result.Parameters["target"] = $"{Options.Host}:{string.Join(',', Options.Ports)}";
            result.Parameters["nodes"] = Options.Ports.Count.ToString(CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>Adds the server's and load generator's CPU and the machine's utilisation of an interval.</summary>
    public static void AddCpu(ScenarioResult result, string phase, MeasuredInterval interval, long operations, string operation)
    {
        result.Add($"server CPU per {operation}{phase}", interval.ServerCpuMicrosecondsPer(operations), "µs", "lower");
        result.Add($"server CPU{phase}", interval.ServerCores * 100, "% of a core");
        result.Add($"load generator CPU{phase}", interval.GeneratorCores * 100, "% of a core");
        result.Add($"machine CPU{phase}", interval.MachineUtilisation * 100, "% of all cores");
    }

    /// <summary>Closes connections that have no read loop, politely and 64 at a time.</summary>
    public static async Task CloseAllAsync(IEnumerable<BenchConnection?> connections)
    {
        await Parallel.ForEachAsync(
            connections.OfType<BenchConnection>(),
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (c, _) => await c.CloseAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends sessions whose read loops are running: &lt;/stream:stream&gt; to each, then up to 5 s (60 s for
    /// more than 1,000) for the server to close them (the loops end on its &lt;/stream:stream&gt;), then
    /// whatever is left is cut.
    /// </summary>
    public static async Task EndSessionsAsync(IEnumerable<BenchConnection?> connections, Task[] readLoops, CancellationTokenSource stopReading)
    {
        var open = connections.OfType<BenchConnection>().ToArray();
        await Parallel.ForEachAsync(
            open,
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (c, _) => await c.SendStreamCloseAsync().ConfigureAwait(false)).ConfigureAwait(false);
        // The loops end when the server has closed each stream; a server that is slow to let go of
        // thousands of sessions gets a minute, so that its work is not charged to the next scenario.
        await Task.WhenAny(Task.WhenAll(readLoops), Task.Delay(TimeSpan.FromSeconds(readLoops.Length > 1000 ? 60 : 5))).ConfigureAwait(false);
        await stopReading.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(readLoops).ConfigureAwait(false);
        foreach (var c in open)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }
}
