using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Sms;

/// <summary>
/// The simulated SMS network: the SMSC simulator of the interworking tests (smsc.js on the npm
/// <c>smpp</c> package) as a child process on free loopback ports, driven through its HTTP control
/// interface (its README.md): providers bind to it as ESMEs, handsets have inboxes and send
/// mobile-originated SMS, and the network can throttle, refuse and drop binds on request.
/// </summary>
internal sealed class SmsNetwork : IAsyncDisposable
{
    public const int ThrottledStatus = 0x58; // ESME_RTHROTTLED

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SmsNetwork(ChildProcess process, int smppPort, int controlPort)
    {
        _process = process;
        SmppPort = smppPort;
        // Inbox reads may wait server-side for messages still on their way.
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}"), Timeout = TimeSpan.FromSeconds(90) };
    }

    public int SmppPort { get; }

    /// <summary>The simulator's diagnostics (stderr), for failure messages.</summary>
    public string Log => _process.Output.Text;

    public static async Task<SmsNetwork> StartAsync()
    {
        var directory = SimulatorDirectory();
        if (!File.Exists(Path.Combine(directory, "node_modules", "smpp", "package.json")))
        {
            throw new InvalidOperationException($"The SMSC simulator's npm packages are missing in {directory}: run scripts/install-test-deps.sh.");
        }

        // --exit-with-stdin: should this process die, the simulator goes with it.
        var process = ChildProcess.Start("node", [Path.Combine(directory, "smsc.js"), "--exit-with-stdin"], directory, redirectStdin: true);
        string ready;
        try
        {
            ready = await process.Output.WaitForLineAsync(l => l.StartsWith("{\"event\":\"ready\"", StringComparison.Ordinal)).WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw new InvalidOperationException($"The SMSC simulator did not come up within {StartTimeout.TotalSeconds:0} s:\n{process.Output.Text}");
        }

        using var json = JsonDocument.Parse(ready);
        return new SmsNetwork(process, json.RootElement.GetProperty("smppPort").GetInt32(), json.RootElement.GetProperty("controlPort").GetInt32());
    }

    /// <summary>A provider that may bind as <paramref name="systemId"/> and owns the numbers starting with <paramref name="prefixes"/>.</summary>
    public Task AddProviderAsync(string systemId, string password, params string[] prefixes) =>
        PostAsync("/providers", new { systemId, password, prefixes });

    /// <summary>Network settings (POST /config): receipts, receiptDelayMs, messageIdFormat, ...</summary>
    public Task ConfigureAsync(object settings) => PostAsync("/config", settings);

    /// <summary>The handset's inbox once it holds at least <paramref name="count"/> complete messages (or when <paramref name="timeout"/> is up).</summary>
    public async Task<IReadOnlyList<HandsetMessage>> InboxAsync(string number, int count = 0, TimeSpan? timeout = null)
    {
        var wait = (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        var inbox = await GetAsync(FormattableString.Invariant($"/handsets/{Uri.EscapeDataString(number)}/inbox?wait={count}&timeout={wait}"));
        return inbox.GetProperty("messages").Deserialize<List<HandsetMessage>>(Json) ?? [];
    }

    /// <summary>Like <see cref="InboxAsync"/>, but fails (naming what is there) unless <paramref name="count"/> messages arrived in time.</summary>
    public async Task<IReadOnlyList<HandsetMessage>> ExpectInboxAsync(string number, int count, TimeSpan timeout, Func<string> context)
    {
        var inbox = await InboxAsync(number, count, timeout);
        Assert.True(
            inbox.Count >= count,
            $"{number}'s handset holds {inbox.Count} message(s) after {timeout.TotalSeconds:0} s, expected {count}: " +
            $"[{string.Join(" | ", inbox.Select(m => m.Text))}]{context()}");
        return inbox;
    }

    /// <summary>
    /// The handset's inbox once a message with <paramref name="lastText"/> has arrived: sent last, it
    /// proves that nothing sent before it (a late duplicate, say) is still on its way.
    /// <paramref name="atLeast"/>: how many messages to wait for before looking (saves re-reading a long inbox).
    /// </summary>
    public async Task<IReadOnlyList<HandsetMessage>> InboxUntilAsync(string number, string lastText, TimeSpan timeout, Func<string> context, int atLeast = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        var inbox = await InboxAsync(number, atLeast, timeout);
        while (!inbox.Any(m => m.Text == lastText))
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(
                left > TimeSpan.Zero,
                $"'{lastText}' did not reach {number} within {timeout.TotalSeconds:0} s; the handset holds {inbox.Count}: " +
                $"[{string.Join(" | ", inbox.Select(m => m.Text))}]{context()}");
            inbox = await InboxAsync(number, inbox.Count + 1, left);
        }

        return inbox;
    }

    /// <summary>A mobile-originated SMS typed on <paramref name="handset"/>, sent to <paramref name="to"/> (cut into parts when long).</summary>
    public Task SendAsync(string handset, string to, string text) =>
        PostAsync($"/handsets/{Uri.EscapeDataString(handset)}/send", new { to, text });

    /// <summary>
    /// A mobile-originated SMS whose source address goes on the wire exactly as given, with
    /// <paramref name="sourceTon"/> (5 alphanumeric, 1 international): how an alphanumeric or a spoofed sender arrives.
    /// </summary>
    public Task SendFromSourceAsync(string sourceAddr, byte sourceTon, string to, string text) =>
        PostAsync("/mo", new { sourceAddr, sourceTon, to, text });

    /// <summary>The deliver_sm the provider answered with a permanent error status, for this source address.</summary>
    public async Task<JsonElement> WaitForRejectionAsync(string systemId, string sourceAddr, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rejected = (await EventsAsync("delivery-rejected")).FirstOrDefault(
                e => e.GetProperty("systemId").GetString() == systemId && e.GetProperty("source").GetString() == sourceAddr);
            if (rejected.ValueKind != JsonValueKind.Undefined)
            {
                return rejected;
            }

            if (DateTime.UtcNow > deadline)
            {
                var accepted = (await EventsAsync("delivered")).Count(e => e.GetProperty("what").GetString()?.Contains($"mo from {sourceAddr} ", StringComparison.Ordinal) == true);
                throw new TimeoutException($"the provider did not refuse the SMS from '{sourceAddr}' within {timeout.TotalSeconds:0} s (accepted {accepted} time(s)):\n{Log}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The next <paramref name="count"/> submit_sm of <paramref name="systemId"/> are answered with <paramref name="status"/>.</summary>
    public Task ThrottleAsync(string systemId, int count, int status = ThrottledStatus) =>
        PostAsync("/throttle", new { systemId, count, status });

    /// <summary>The bind of <paramref name="systemId"/> that receives the <paramref name="submits"/>-th next submit_sm is dropped, leaving it unanswered.</summary>
    public Task DropAfterSubmitsAsync(string systemId, int submits) =>
        PostAsync("/drop", new { systemId, afterSubmits = submits });

    public async Task<IReadOnlyList<JsonElement>> EventsAsync(string type)
    {
        var events = await GetAsync($"/events?type={Uri.EscapeDataString(type)}");
        return [.. events.EnumerateArray()];
    }

    /// <summary>Waits until the network has recorded an event of <paramref name="type"/> for <paramref name="systemId"/>; it has no long poll for events, so this polls.</summary>
    public async Task WaitForEventAsync(string type, string systemId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(await EventsAsync(type)).Any(e => e.TryGetProperty("systemId", out var s) && s.GetString() == systemId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the SMSC simulator recorded no {type} for {systemId} within {timeout.TotalSeconds:0} s:\n{Log}");
            }

            await Task.Delay(25);
        }
    }

    public async Task<int> CountEventsAsync(string type, string systemId) =>
        (await EventsAsync(type)).Count(e => e.TryGetProperty("systemId", out var s) && s.GetString() == systemId);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, path);
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        return await ReadAsync(response, path);
    }

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

    /// <summary>The simulator lives with the interworking unit tests, next to this project's peers in the source tree, where npm installed its packages.</summary>
    private static string SimulatorDirectory()
    {
        var peers = typeof(SmsNetwork).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PeersDirectory").Value!;
        return Path.GetFullPath(Path.Combine(peers, "..", "..", "Converge.Interworking.Tests", "peers", "smsc"));
    }
}
