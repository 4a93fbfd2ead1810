using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Converge.Testing;

/// <summary>
/// The simulated SMS network: tests/Converge.Interworking.Tests/peers/smsc/smsc.js (on the npm
/// <c>smpp</c> package) as a child process on free loopback ports, driven through its HTTP control
/// interface (its README.md): providers bind to it as ESMEs, handsets have inboxes and send
/// mobile-originated SMS, and the network can throttle, refuse and drop binds on request.
/// The one driver of the simulator, for the ESME tests and the interop scenarios alike; its npm
/// packages are installed by <c>npm ci</c> in peers/smsc (scripts/install-test-deps.sh).
/// </summary>
internal sealed class SmscSimulator : IAsyncDisposable
{
    public const int ThrottledStatus = 0x58; // ESME_RTHROTTLED

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly StringBuilder _log;

    private SmscSimulator(Process process, StringBuilder log, int smppPort, int controlPort)
    {
        _process = process;
        _log = log;
        SmppPort = smppPort;
        ControlPort = controlPort;
        // Inbox reads may wait server-side for messages still on their way.
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}"), Timeout = TimeSpan.FromSeconds(90) };
    }

    public int SmppPort { get; }

    public int ControlPort { get; }

    public HttpClient Http { get; }

    /// <summary>What the simulator wrote to stderr (its diagnostics), for failure messages.</summary>
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

    /// <summary>Starts the simulator; <paramref name="providers"/>: systemId:password[:prefix,prefix] it knows from the start.</summary>
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
        // --exit-with-stdin: should this process die, the simulator goes with it.
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

        // The first stdout line, and the only one, is {"event":"ready","smppPort":…,"controlPort":…}.
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

        if (ready is null || !ready.StartsWith("{\"event\":\"ready\"", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"The SMSC simulator did not come up within {StartTimeout.TotalSeconds:0} s: {ready}\n{log}");
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

    /// <summary>A provider that may bind as <paramref name="systemId"/> and owns the numbers starting with <paramref name="prefixes"/>.</summary>
    public Task AddProviderAsync(string systemId, string password, params string[] prefixes) =>
        PostAsync("/providers", new { systemId, password, prefixes });

    /// <summary>Network settings (POST /config): receipts, receiptDelayMs, messageIdFormat, ...</summary>
    public Task ConfigureAsync(object settings) => PostAsync("/config", settings);

    /// <summary>A handset's inbox as the simulator reports it; with <paramref name="wait"/>, once it holds that many messages (or the time is up).</summary>
    public async Task<JsonElement[]> InboxAsync(string number, int wait = 0, int timeoutMs = 10_000)
    {
        var inbox = await GetAsync(FormattableString.Invariant($"/handsets/{Uri.EscapeDataString(number)}/inbox?wait={wait}&timeout={timeoutMs}"));
        return [.. inbox.GetProperty("messages").EnumerateArray()];
    }

    /// <summary>The handset's complete messages once it holds at least <paramref name="count"/> (or when <paramref name="timeout"/> is up).</summary>
    public async Task<IReadOnlyList<HandsetMessage>> MessagesAsync(string number, int count = 0, TimeSpan? timeout = null)
    {
        var wait = (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        var inbox = await GetAsync(FormattableString.Invariant($"/handsets/{Uri.EscapeDataString(number)}/inbox?wait={count}&timeout={wait}"));
        return inbox.GetProperty("messages").Deserialize<List<HandsetMessage>>(Json) ?? [];
    }

    /// <summary>Like <see cref="MessagesAsync"/>, but fails (naming what is there) unless <paramref name="count"/> messages arrived in time.</summary>
    public async Task<IReadOnlyList<HandsetMessage>> ExpectInboxAsync(string number, int count, TimeSpan timeout, Func<string> context)
    {
        var inbox = await MessagesAsync(number, count, timeout);
        Assert.True(
            inbox.Count >= count,
            $"{number}'s handset holds {inbox.Count} message(s) after {timeout.TotalSeconds:0} s, expected {count}: " +
            $"[{string.Join(" | ", inbox.Select(m => m.Text))}]{context()}");
        return inbox;
    }

    /// <summary>
    /// The handset's messages once one with <paramref name="lastText"/> has arrived: sent last, it
    /// proves that nothing sent before it (a late duplicate, say) is still on its way.
    /// <paramref name="atLeast"/>: how many messages to wait for before looking (saves re-reading a long inbox).
    /// </summary>
    public async Task<IReadOnlyList<HandsetMessage>> InboxUntilAsync(string number, string lastText, TimeSpan timeout, Func<string> context, int atLeast = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        var inbox = await MessagesAsync(number, atLeast, timeout);
        while (!inbox.Any(m => m.Text == lastText))
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(
                left > TimeSpan.Zero,
                $"'{lastText}' did not reach {number} within {timeout.TotalSeconds:0} s; the handset holds {inbox.Count}: " +
                $"[{string.Join(" | ", inbox.Select(m => m.Text))}]{context()}");
            inbox = await MessagesAsync(number, inbox.Count + 1, left);
        }

        return inbox;
    }

    /// <summary>A mobile-originated SMS from <paramref name="number"/>: POST /handsets/{number}/send with <paramref name="body"/> (to, text, concat, order, ...).</summary>
    public Task<JsonElement> SendFromHandsetAsync(string number, object body) =>
        PostAsync($"/handsets/{Uri.EscapeDataString(number)}/send", body);

    /// <summary>A mobile-originated SMS typed on <paramref name="handset"/>, sent to <paramref name="to"/> (cut into parts when long).</summary>
    public Task SendAsync(string handset, string to, string text) => SendFromHandsetAsync(handset, new { to, text });

    /// <summary>
    /// A mobile-originated SMS whose source address goes on the wire exactly as given, with
    /// <paramref name="sourceTon"/> (5 alphanumeric, 1 international): how an alphanumeric or a spoofed sender arrives.
    /// </summary>
    public Task SendFromSourceAsync(string sourceAddr, byte sourceTon, string to, string text) =>
        PostAsync("/mo", new { sourceAddr, sourceTon, to, text });

    /// <summary>The next <paramref name="count"/> submit_sm of <paramref name="systemId"/> are answered with <paramref name="status"/>.</summary>
    public Task ThrottleAsync(string systemId, int count, int status = ThrottledStatus) =>
        PostAsync("/throttle", new { systemId, count, status });

    /// <summary>
    /// The next <paramref name="count"/> submit_sm of <paramref name="systemId"/> are accepted, delivered and
    /// reported, but their submit_sm_resp is never sent (event "withheld").
    /// </summary>
    public Task WithholdResponsesAsync(string systemId, int count) =>
        PostAsync("/withhold", new { systemId, count });

    /// <summary>The bind of <paramref name="systemId"/> that receives the <paramref name="submits"/>-th next submit_sm is dropped, leaving it unanswered.</summary>
    public Task DropAfterSubmitsAsync(string systemId, int submits) =>
        PostAsync("/drop", new { systemId, afterSubmits = submits });

    /// <summary>The events the simulator recorded, all or those of <paramref name="type"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> EventsAsync(string? type = null)
    {
        var events = await GetAsync(type is null ? "/events" : $"/events?type={Uri.EscapeDataString(type)}");
        return [.. events.EnumerateArray()];
    }

    public async Task<int> CountEventsAsync(string type, string systemId) =>
        (await EventsAsync(type)).Count(e => IsOf(e, systemId));

    /// <summary>The first event of <paramref name="type"/> that matches; it has no long poll for events, so this polls until <paramref name="timeout"/>.</summary>
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

            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the network has recorded an event of <paramref name="type"/> for <paramref name="systemId"/>.</summary>
    public Task WaitForEventAsync(string type, string systemId, TimeSpan timeout) =>
        WaitForEventAsync(type, e => IsOf(e, systemId), timeout);

    /// <summary>The deliver_sm the provider answered with a permanent error status, for this source address.</summary>
    public async Task<JsonElement> WaitForRejectionAsync(string systemId, string sourceAddr, TimeSpan timeout)
    {
        try
        {
            return await WaitForEventAsync(
                "delivery-rejected",
                e => e.GetProperty("systemId").GetString() == systemId && e.GetProperty("source").GetString() == sourceAddr,
                timeout);
        }
        catch (TimeoutException)
        {
            var accepted = (await EventsAsync("delivered")).Count(e => e.GetProperty("what").GetString()?.Contains($"mo from {sourceAddr} ", StringComparison.Ordinal) == true);
            throw new TimeoutException($"the provider did not refuse the SMS from '{sourceAddr}' within {timeout.TotalSeconds:0} s (accepted {accepted} time(s)):\n{Log}");
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

    private static bool IsOf(JsonElement e, string systemId) =>
        e.TryGetProperty("systemId", out var s) && s.GetString() == systemId;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"SMSC simulator {path}: {(int)response.StatusCode} {text}"));
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>
    /// tests/Converge.Interworking.Tests/peers/smsc in the source tree, where npm installed its packages
    /// (the build output has no node_modules): found from this file's path, else above the test binaries.
    /// </summary>
    private static string PeerDirectory([CallerFilePath] string thisFile = "")
    {
        var fromSource = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile) ?? ".", "..", "..", "Converge.Interworking.Tests", "peers", "smsc"));
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
