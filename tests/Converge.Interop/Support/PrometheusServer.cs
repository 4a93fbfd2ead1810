using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Converge.Interop.Support;

/// <summary>
/// Debian's <c>prometheus</c> on a loopback port with its own scrape configuration (one target, scraped
/// every second) and a throwaway storage directory, started by a test and killed with it.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory;
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(DirectoryInfo directory, ChildProcess process, int port)
    {
        _directory = directory;
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Log => _process.Output.Text;

    public static async Task<PrometheusServer> StartAsync(string job, int targetPort)
    {
        var directory = Directory.CreateTempSubdirectory("converge-prometheus-");
        var port = ConvergeServer.FreeTcpPort();
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: {job}
                metrics_path: /metrics
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """);
        var process = ChildProcess.Start(
            "prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
             $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            directory.FullName);
        var prometheus = new PrometheusServer(directory, process, port);
        try
        {
            await prometheus.WaitReadyAsync();
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Polls an instant query until its single value equals <paramref name="expected"/> (counters only
    /// grow, so a value that went past never comes back); returns the last value seen either way.
    /// </summary>
    public async Task<double?> WaitForValueAsync(string query, double expected, TimeSpan timeout)
    {
        double? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            last = await QueryAsync(query);
            if (last == expected)
            {
                return last;
            }

            await Task.Delay(500);
        }

        return last;
    }

    /// <summary>The single value of an instant query, or null when it returns no series.</summary>
    public async Task<double?> QueryAsync(string query)
    {
        var answer = await _http.GetFromJsonAsync<JsonObject>("/api/v1/query?query=" + Uri.EscapeDataString(query));
        var result = answer!["data"]!["result"]!.AsArray();
        if (result.Count == 0)
        {
            return null;
        }

        Assert.True(result.Count == 1, $"{query} returned {result.Count} series: {result.ToJsonString()}");
        return double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var ready = await _http.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"prometheus was not ready within {StartTimeout.TotalSeconds:0} s:\n{Log}");
    }
}
