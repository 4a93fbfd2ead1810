using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Converge.Interworking.Tests.Sms.Support;

/// <summary>
/// The simulated SMS network (peers/smsc/smsc.js on the npm smpp package) as a child process on
/// free loopback ports, with its HTTP control interface. Its npm packages are installed by
/// <c>npm ci</c> in peers/smsc (scripts/install-test-deps.sh).
/// </summary>
internal sealed class SmscSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _log;

    private SmscSimulator(Process process, StringBuilder log, int smppPort, int controlPort)
    {
        _process = process;
        _log = log;
        SmppPort = smppPort;
        ControlPort = controlPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int SmppPort { get; }

    public int ControlPort { get; }

    public HttpClient Http { get; }

    /// <summary>What the simulator wrote to stderr, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<SmscSimulator> StartAsync(params string[] providers)
    {
        var directory = PeerDirectory();
        if (!File.Exists(Path.Combine(directory, "node_modules", "smpp", "package.json")))
        {
            throw new InvalidOperationException($"The SMSC simulator's npm packages are missing: run `npm ci` in {directory} (scripts/install-test-deps.sh).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "smsc.js"));
        start.ArgumentList.Add("--exit-with-stdin");
        foreach (var provider in providers)
        {
            start.ArgumentList.Add("--provider");
            start.ArgumentList.Add(provider);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    if (log.Length < 200_000)
                    {
                        log.AppendLine(e.Data);
                    }
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartTimeout);
        string? ready;
        try
        {
            ready = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            ready = null;
        }

        if (ready is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The SMSC simulator did not come up: {log}");
        }

        using var json = JsonDocument.Parse(ready);
        return new SmscSimulator(process, log, json.RootElement.GetProperty("smppPort").GetInt32(), json.RootElement.GetProperty("controlPort").GetInt32());
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, path);
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        return await ReadAsync(response, path);
    }

    public Task AddProviderAsync(string systemId, string password, params string[] prefixes) =>
        PostAsync("/providers", new { systemId, password, prefixes });

    /// <summary>A handset's inbox; with <paramref name="wait"/>, once it holds that many messages (or the time is up).</summary>
    public async Task<JsonElement[]> InboxAsync(string number, int wait = 0, int timeoutMs = 10_000)
    {
        var inbox = await GetAsync($"/handsets/{Uri.EscapeDataString(number)}/inbox?wait={wait}&timeout={timeoutMs}");
        return [.. inbox.GetProperty("messages").EnumerateArray()];
    }

    public Task<JsonElement> SendFromHandsetAsync(string number, object body) =>
        PostAsync($"/handsets/{Uri.EscapeDataString(number)}/send", body);

    public async Task<JsonElement[]> EventsAsync(string? type = null)
    {
        var events = await GetAsync(type is null ? "/events" : $"/events?type={Uri.EscapeDataString(type)}");
        return [.. events.EnumerateArray()];
    }

    /// <summary>The first event of <paramref name="type"/> that matches, polling until <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForEventAsync(string type, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var e in await EventsAsync(type))
            {
                if (match(e))
                {
                    return e;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {type} event matched within {timeout}; simulator log:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }

        _process.Dispose();
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"SMSC simulator {path}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>peers/smsc in the source tree, where npm installed its packages (the build output has no node_modules).</summary>
    private static string PeerDirectory([CallerFilePath] string thisFile = "")
    {
        var fromSource = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile) ?? ".", "..", "..", "peers", "smsc"));
        if (File.Exists(Path.Combine(fromSource, "smsc.js")))
        {
            return fromSource;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Converge.Interworking.Tests", "peers", "smsc");
            if (File.Exists(Path.Combine(candidate, "smsc.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/Converge.Interworking.Tests/peers/smsc was not found above " + AppContext.BaseDirectory);
    }
}
