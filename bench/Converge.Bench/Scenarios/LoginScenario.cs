using System.Diagnostics;
using System.Globalization;
using Converge.Bench.Metrics;
using Converge.Bench.Results;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>
/// Complete logins per second: TCP connect, STARTTLS, SASL, bind, roster get and initial
/// presence, then &lt;/stream:stream&gt; and close, by --concurrency clients in a loop over the users.
/// Every user logs in once before the measured interval, so that the load generator's PBKDF2
/// results are cached (as a real client caches them) and the CPU measured is the server's.
/// </summary>
internal sealed class LoginScenario : IScenario
{
    private long _completed;
    private long _failed;
    private int _nextUser;
    private volatile bool _measuring;
    private string? _firstError;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var result = context.NewResult();
        result.Parameters["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);

        // Every user once, so that its salted password is cached by this client.
        var (first, failures, elapsed) = await context.OpenSessionsAsync(options.Users, null, null, "first login of every user").ConfigureAwait(false);
        await ScenarioContext.CloseAllAsync(first).ConfigureAwait(false);
        result.Add("first login of every user", elapsed.TotalSeconds, "s");
        if (failures > 0)
        {
            result.Notes.Add($"{failures} users failed their first login");
        }

        var latencies = new LatencyHistogram[options.Concurrency];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(w => Task.Run(() => WorkAsync(context, latencies[w] = new LatencyHistogram(), stop.Token)))
            .ToArray();

        var started = Stopwatch.GetTimestamp();
        long lastCompleted = 0;
        var lastTime = started;
        MeasuredInterval interval;
        long completed;
        await using (new ProgressLine(() =>
        {
            var done = Interlocked.Read(ref _completed);
            var now = Stopwatch.GetTimestamp();
            var rate = (done - lastCompleted) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
            (lastCompleted, lastTime) = (done, now);
            return $"[{options.ServerName}] login: {(_measuring ? "measuring" : "warming up")} {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s, "
                + $"{rate:0} logins/s, {Interlocked.Read(ref _failed)} failed";
        }))
        {
            await Task.Delay(options.Warmup, context.CancellationToken).ConfigureAwait(false);
            var completedBefore = Interlocked.Read(ref _completed);
            var measurement = Measurement.Start(context.Server);
            _measuring = true;
            await Task.Delay(options.Duration, context.CancellationToken).ConfigureAwait(false);
            _measuring = false;
            interval = measurement.Stop();
            completed = Interlocked.Read(ref _completed) - completedBefore;
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        var latency = new LatencyHistogram();
        foreach (var histogram in latencies)
        {
            latency.Add(histogram);
        }

        result.Add("logins", completed / interval.Elapsed.TotalSeconds, "logins/s", "higher");
        result.Add("login time p50", latency.QuantileMilliseconds(0.5), "ms", "lower");
        result.Add("login time p99", latency.QuantileMilliseconds(0.99), "ms", "lower");
        ScenarioContext.AddCpu(result, "", interval, completed, "login");
        result.Add("logins per server CPU-second", completed / (interval.ServerCpu?.TotalSeconds ?? double.NaN), "logins/s", "higher");
        result.Add("failed logins", Interlocked.Read(ref _failed), "logins", "lower");
        if (_firstError is not null)
        {
            result.Notes.Add("first failure: " + _firstError);
        }

        return result;
    }

    private async Task WorkAsync(ScenarioContext context, LatencyHistogram latency, CancellationToken token)
    {
        var users = context.Options.Users;
        while (!token.IsCancellationRequested)
        {
            var user = (int)((uint)Interlocked.Increment(ref _nextUser) % (uint)users);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var connection = await context.OpenSessionAsync(user, user, null, null, timeout.Token).ConfigureAwait(false);
                var measuring = _measuring;
                Interlocked.Increment(ref _completed);
                if (measuring)
                {
                    latency.RecordTicks(Stopwatch.GetTimestamp() - started);
                }

                await connection.CloseAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LoginException or IOException or System.Net.Sockets.SocketException
                or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, $"{context.Options.UserName(user)}: {e.Message}", null);
            }
        }
    }
}
