using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Email;

/// <summary>
/// The mail server Converge relays to (Email.Relay): Debian's python3-aiosmtpd running
/// peers/python/email_relay.py, which reports each received mail as a JSON line. Recipients named
/// reject* get 550 at RCPT, defer* get 451.
/// </summary>
internal sealed class MailRelay : IAsyncDisposable
{
    public static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    // email_relay.py writes snake_case keys (mail_from, rcpt_tos, message_id, ...).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ChildProcess _process;

    private MailRelay(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What the relay printed, for failure messages.</summary>
    public string Log => _process.Output.Text;

    /// <summary>Starts the relay on <paramref name="port"/> (0: a free one) and returns once it listens.</summary>
    public static async Task<MailRelay> StartAsync(int port = 0)
    {
        var peers = typeof(MailRelay).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PeersDirectory").Value!;
        var python = Path.Combine(peers, "python");
        var process = ChildProcess.Start(
            "/usr/bin/python3",
            [Path.Combine(python, "email_relay.py"), "--port", port.ToString(CultureInfo.InvariantCulture)],
            python,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        try
        {
            var ready = await PeerEvents.WaitAsync(
                process, e => PeerEvents.Name(e) == "ready", "the relay listens", TimeSpan.FromSeconds(20), () => process.Output.Text);
            return new MailRelay(process, ready.GetProperty("port").GetInt32());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every mail received so far, in arrival order.</summary>
    public IReadOnlyList<RelayedMail> Mails =>
        [.. PeerEvents.All(_process).Where(e => PeerEvents.Name(e) == "mail").Select(e => e.Deserialize<RelayedMail>(Json)!)];

    /// <summary>The first <paramref name="count"/> mails for <paramref name="recipient"/>, once that many have arrived.</summary>
    public async Task<IReadOnlyList<RelayedMail>> MailsForAsync(string recipient, int count, Func<string> context)
    {
        var seen = 0;
        await PeerEvents.WaitAsync(
            _process,
            e => PeerEvents.Name(e) == "mail" && e.Deserialize<RelayedMail>(Json)!.IsFor(recipient) && ++seen == count,
            $"{count.ToString(CultureInfo.InvariantCulture)} mail(s) for {recipient} at the relay",
            ArrivalTimeout,
            () => $"--- relay:\n{Log}{context()}");
        return [.. Mails.Where(m => m.IsFor(recipient)).Take(count)];
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
