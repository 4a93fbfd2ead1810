using System.Reflection;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Sms;

/// <summary>
/// A CPM user's XMPP client: slixmpp under Debian's python (peers/python/cpm_client.py), logged in
/// over STARTTLS with SCRAM, steered one JSON command per stdin line; what it receives comes back
/// as JSON lines on its stdout, which this class awaits.
/// </summary>
internal sealed class CpmClient : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Debian's interpreter: a python on PATH may be a build without Debian's slixmpp.</summary>
    private const string DebianPython = "/usr/bin/python3";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ChildProcess _process;
    private readonly Func<string> _context;
    private readonly Task _exited;
    private int _commands;

    private CpmClient(ChildProcess process, Subscriber user, Func<string> context)
    {
        _process = process;
        User = user;
        _context = context;
        _exited = WatchExitAsync();
    }

    public Subscriber User { get; }

    /// <summary>Everything the client wrote, for failure messages.</summary>
    public string Output => _process.Output.Text;

    /// <summary>The full JID the client is bound to.</summary>
    public string Jid => Events().Where(e => Event(e) == "ready").Select(e => e.GetProperty("jid").GetString()!).First();

    /// <summary>How often the stream was lost since the client logged in.</summary>
    public int Disconnections => Events().Count(e => Event(e) == "disconnected");

    /// <summary>
    /// Logs <paramref name="user"/> in; <paramref name="context"/> says what else to show when a step fails (server and network logs).
    /// <paramref name="domain"/>: the server's XMPP domain (another provider's, Prosody's), <see cref="ConvergeServer.Domain"/> unless given.
    /// </summary>
    public static async Task<CpmClient> StartAsync(int clientPort, Subscriber user, Func<string> context, string domain = ConvergeServer.Domain)
    {
        var peers = typeof(CpmClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PeersDirectory").Value!;
        var python = Path.Combine(peers, "python");
        var process = ChildProcess.Start(
            DebianPython,
            [Path.Combine(python, "cpm_client.py"), "--host", "127.0.0.1", "--port", clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--domain", domain, "--user", $"{user.Name}:{ConvergeServer.Password}"],
            python,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" },
            redirectStdin: true);
        var client = new CpmClient(process, user, context);
        await client.WaitForEventAsync(e => Event(e) == "ready", $"{user.Name}'s client logged in", TimeSpan.FromSeconds(30));
        return client;
    }

    public Task SendAsync(string to, string body, string? thread = null, string? id = null, bool receipt = false) =>
        CommandAsync(new { op = "send", to, body, thread, id, receipt });

    /// <summary>One chat message per body, sent back to back without waiting in between.</summary>
    public Task BurstAsync(string to, IReadOnlyList<string> bodies) => CommandAsync(new { op = "burst", to, bodies });

    /// <summary>A XEP-0155 message: <paramref name="action"/> is request, accept, decline or terminate.</summary>
    public Task SessionAsync(string to, string action, string? thread = null, string? id = null) =>
        CommandAsync(new { op = "session", to, action, thread, id });

    /// <summary>An IQ ping round trip: everything sent before has been routed, everything routed to the client before has arrived.</summary>
    public Task SyncAsync() => CommandAsync(new { op = "sync" });

    /// <summary>A presence stanza: broadcast (no <paramref name="to"/>), directed, or a subscription stanza (<paramref name="type"/> subscribe, subscribed ...).</summary>
    public Task SendPresenceAsync(string? to = null, string? type = null, string? status = null) =>
        CommandAsync(new { op = "presence", to, type, status });

    /// <summary>A XEP-0191 block IQ, awaited: "result", or the error condition it was answered with.</summary>
    public Task<string?> BlockAsync(params string[] jids) => BlockListChangeAsync("block", jids);

    /// <summary>A XEP-0191 unblock IQ, awaited: "result", or the error condition it was answered with.</summary>
    public Task<string?> UnblockAsync(params string[] jids) => BlockListChangeAsync("unblock", jids);

    /// <summary>Writes <paramref name="xml"/> to the stream as it is: what no well-behaved client sends.</summary>
    public Task SendRawAsync(string xml) => CommandAsync(new { op = "raw", xml });

    /// <summary>The user's whole archive (with one contact), through slixmpp's XEP-0313 paging.</summary>
    public async Task<IReadOnlyList<ArchivedMessage>> ArchiveAsync(string? with = null)
    {
        var earlier = Events().Count(e => Event(e) == "archive");
        await CommandAsync(new { op = "archive", with });
        var answer = Events().Where(e => Event(e) == "archive").ElementAt(earlier);
        return answer.GetProperty("items").Deserialize<List<ArchivedMessage>>(Json) ?? [];
    }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<ClientMessage> Received =>
        [.. Events().Where(e => Event(e) == "message").Select(e => e.Deserialize<ClientMessage>(Json)!)];

    /// <summary>Every presence stanza received so far, in arrival order.</summary>
    public IReadOnlyList<ClientPresence> Presences =>
        [.. Events().Where(e => Event(e) == "presence").Select(e => e.Deserialize<ClientPresence>(Json)!)];

    /// <summary>Every IQ result and error received so far, in arrival order.</summary>
    public IReadOnlyList<ClientIq> Iqs =>
        [.. Events().Where(e => Event(e) == "iq").Select(e => e.Deserialize<ClientIq>(Json)!)];

    /// <summary>The first received message that matches, already received or arriving within <paramref name="timeout"/>; null if none did.</summary>
    public async Task<ClientMessage?> TryMessageAsync(Func<ClientMessage, bool> match, TimeSpan timeout) =>
        await TryWaitForEventAsync(e => Event(e) == "message" && match(e.Deserialize<ClientMessage>(Json)!), timeout) is { } e
            ? e.Deserialize<ClientMessage>(Json)
            : null;

    /// <summary>The first received IQ result or error that matches, already received or arriving within <paramref name="timeout"/>; null if none did.</summary>
    public async Task<ClientIq?> TryIqAsync(Func<ClientIq, bool> match, TimeSpan timeout) =>
        await TryWaitForEventAsync(e => Event(e) == "iq" && match(e.Deserialize<ClientIq>(Json)!), timeout) is { } e
            ? e.Deserialize<ClientIq>(Json)
            : null;

    /// <summary>The first received presence that matches, already received or still to come.</summary>
    public async Task<ClientPresence> PresenceAsync(Func<ClientPresence, bool> match, string description, TimeSpan? timeout = null)
    {
        await WaitForEventAsync(e => Event(e) == "presence" && match(e.Deserialize<ClientPresence>(Json)!), description, timeout ?? StepTimeout);
        return Presences.First(match);
    }

    /// <summary>The first <paramref name="count"/> received messages that match, once that many have arrived.</summary>
    public async Task<IReadOnlyList<ClientMessage>> MessagesAsync(Func<ClientMessage, bool> match, int count, string description, TimeSpan? timeout = null)
    {
        var seen = 0;
        await WaitForEventAsync(e => Event(e) == "message" && match(e.Deserialize<ClientMessage>(Json)!) && ++seen == count, description, timeout ?? StepTimeout);
        return [.. Received.Where(match).Take(count)];
    }

    public async Task<ClientMessage> MessageAsync(Func<ClientMessage, bool> match, string description, TimeSpan? timeout = null) =>
        (await MessagesAsync(match, 1, description, timeout))[0];

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<string?> BlockListChangeAsync(string op, string[] jids)
    {
        var done = await CommandAsync(new { op, jids });
        return done.GetProperty("answer").GetString();
    }

    private async Task<JsonElement> CommandAsync(object command)
    {
        var number = ++_commands;
        await _process.WriteLineAsync(JsonSerializer.Serialize(command, Json));
        var op = JsonSerializer.SerializeToElement(command, Json).GetProperty("op").GetString();
        bool IsDone(JsonElement e) => Event(e) == "done" && e.GetProperty("n").GetInt32() == number;
        await WaitForEventAsync(IsDone, $"{User.Name}'s client finished command {number} ({op})", StepTimeout);
        return Events().First(IsDone);
    }

    private async Task WaitForEventAsync(Func<JsonElement, bool> match, string description, TimeSpan timeout)
    {
        if (await TryWaitForEventAsync(match, timeout) is not null)
        {
            return;
        }

        Assert.Fail($"{(_process.HasExited ? "the client exited" : "timed out")} before: {description} (within {timeout.TotalSeconds:0} s)\n--- {User.Name}'s client:\n{Output}{_context()}");
    }

    /// <summary>The first event that matches within <paramref name="timeout"/>; null if none did or the client exited first.</summary>
    private async Task<JsonElement?> TryWaitForEventAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var found = _process.Output.WaitForLineAsync(l => Parse(l) is { } e && match(e));
        try
        {
            if (await Task.WhenAny(found, _exited).WaitAsync(timeout) == found)
            {
                return Parse(await found);
            }
        }
        catch (TimeoutException)
        {
        }

        return null;
    }

    // ChildProcess offers no exit task without a kill-on-timeout; one cheap watcher per client.
    private async Task WatchExitAsync()
    {
        while (!_process.HasExited)
        {
            await Task.Delay(100);
        }
    }

    private IEnumerable<JsonElement> Events() =>
        _process.Output.StdoutLines.Select(Parse).OfType<JsonElement>();

    private static string? Event(JsonElement e) => e.TryGetProperty("event", out var v) ? v.GetString() : null;

    private static JsonElement? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null; // peer.py's own lines (LOGIN, ROSTER, PASS)
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
