using System.Globalization;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// N idle authenticated TLS sessions (session i is user i mod U, resource chosen by the server),
/// opened over several 127.0.0.x source addresses; the server's resident memory before and after,
/// per connection. Then the sessions sit idle for --duration, answering pings, and the server's
/// CPU while idle is recorded too.
/// </summary>
internal sealed class ConnectionsScenario : IScenario, IStanzaHandler
{
    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["connections"] = options.Connections.ToString(CultureInfo.InvariantCulture);
        result.Parameters["source_addresses"] = options.SourceAddresses.ToString(CultureInfo.InvariantCulture);
        if (context.Server is null)
        {
            result.Notes.Add("no --server-pid: memory per connection is not measured");
        }

        var before = context.Server?.Sample();
        var (connections, failures, elapsed) = await context.OpenSessionsAsync(
            options.Connections, i => context.RequestFor(i % options.Users), this, "opening idle sessions").ConfigureAwait(false);
        var open = connections.Count(c => c is not null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var loops = connections.OfType<BenchConnection>().Select(c => Task.Run(() => ReadAsync(c, stop.Token))).ToArray();
        try
        {
            result.Add("sessions open", open, "sessions", "higher");
            result.Add("sessions failed", failures, "sessions", "lower");
            result.Add("session set-up rate", open / elapsed.TotalSeconds, "sessions/s", "higher");

            // Let the server finish what the logins started (presence, roster, garbage) before reading its memory.
            await using (new ProgressLine(() => $"[{options.ServerName}] connections: {open} sessions idle"))
            {
                await Task.Delay(options.Warmup, context.CancellationToken).ConfigureAwait(false);
                var measurement = Measurement.Start(context.Server);
                await Task.Delay(options.Duration, context.CancellationToken).ConfigureAwait(false);
                var interval = measurement.Stop();
                if (before is { } b && interval.ServerResidentBytes is { } after && open > 0)
                {
                    result.Add("server memory before", b.ResidentBytes / 1048576.0, "MiB");
                    result.Add("server memory with sessions", after / 1048576.0, "MiB");
                    result.Add("server memory per session", (after - b.ResidentBytes) / 1024.0 / open, "KiB", "lower");
                }

                result.Add("server CPU while idle", interval.ServerCores * 100, "% of a core", "lower");
            }

            var alive = loops.Count(l => !l.IsCompleted);
            result.Add("sessions still open at the end", alive, "sessions", "higher");
        }
        finally
        {
            await ScenarioContext.EndSessionsAsync(connections, loops, stop).ConfigureAwait(false);
        }

        return result;
    }

    public void OnElement(BenchConnection connection, ReadOnlySpan<byte> element, long receivedAt) =>
        ServerRequests.TryAnswer(element, connection.Replies);

    private async Task ReadAsync(BenchConnection connection, CancellationToken token)
    {
        try
        {
            await connection.RunAsync(this, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed at the end, or by the server: counted as not alive.
        }
    }
}
