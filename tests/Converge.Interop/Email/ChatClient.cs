using System.Globalization;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Email;

/// <summary>
/// A CPM user's XMPP client: slixmpp under Debian's python (peers/python/cpm_client.py), logged
/// in over STARTTLS with SCRAM, steered one JSON command per stdin line; what it receives comes
/// back as JSON lines on its stdout, which this class awaits.
/// </summary>
internal sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;
    private readonly Func<string> _context;
    private int _commands;

    private ChatClient(ChildProcess process, string user, Func<string> context)
    {
        _process = process;
        User = user;
        _context = context;
    }

    public string User { get; }

    /// <summary>Logs <paramref name="user"/> in; <paramref name="context"/> says what else to show when a step fails (server and relay logs).</summary>
    public static async Task<ChatClient> StartAsync(ConvergeServer server, string user, Func<string> context)
    {
        var client = new ChatClient(PeerScripts.StartPython(server, "cpm_client.py", "--user", PeerScripts.Account(user)), user, context);
        try
        {
            await client.WaitAsync(e => PeerEvents.Name(e) == "ready", $"{user}'s client logged in");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task SendAsync(string to, string body, string? thread = null, string? id = null) =>
        CommandAsync(new { op = "send", to, body, thread, id });

    /// <summary>A XEP-0155 message: <paramref name="action"/> is request, accept, decline or terminate.</summary>
    public Task SessionAsync(string to, string action, string? thread = null) =>
        CommandAsync(new { op = "session", to, action, thread });

    /// <summary>An IQ ping round trip: everything sent before has been routed (and so stored in the outbox).</summary>
    public Task SyncAsync() => CommandAsync(new { op = "sync" });

    /// <summary>The user's whole archive (with one contact), through slixmpp's XEP-0313 paging.</summary>
    public async Task<IReadOnlyList<ArchivedChat>> ArchiveAsync(string? with = null)
    {
        var number = await CommandAsync(new { op = "archive", with });
        var answers = PeerEvents.All(_process).Where(e => PeerEvents.Name(e) == "archive").ToList();
        return answers[^1].GetProperty("items").Deserialize<List<ArchivedChat>>(PeerEvents.Json)
            ?? throw new InvalidOperationException($"archive answer to command {number} without items");
    }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<ChatMessage> Received =>
        [.. PeerEvents.All(_process).Where(e => PeerEvents.Name(e) == "message").Select(e => e.Deserialize<ChatMessage>(PeerEvents.Json)!)];

    /// <summary>The first received message that matches, already received or still to come.</summary>
    public async Task<ChatMessage> MessageAsync(Func<ChatMessage, bool> match, string description)
    {
        var e = await WaitAsync(e => PeerEvents.Name(e) == "message" && match(e.Deserialize<ChatMessage>(PeerEvents.Json)!), description);
        return e.Deserialize<ChatMessage>(PeerEvents.Json)!;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<int> CommandAsync(object command)
    {
        var number = ++_commands;
        var json = JsonSerializer.Serialize(command, PeerEvents.Json);
        await _process.WriteLineAsync(json);
        await WaitAsync(
            e => PeerEvents.Name(e) == "done" && e.GetProperty("n").GetInt32() == number,
            $"{User}'s client finished command {number.ToString(CultureInfo.InvariantCulture)}: {json}");
        return number;
    }

    private Task<JsonElement> WaitAsync(Func<JsonElement, bool> match, string description) =>
        PeerEvents.WaitAsync(_process, match, description, StepTimeout, () => $"--- {User}'s client:\n{_process.Output.Text}{_context()}");
}
