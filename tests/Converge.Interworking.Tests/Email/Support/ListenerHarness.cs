using System.Collections.Concurrent;
using System.Net;
using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// An SmtpListener on a free loopback port, with the hooks an interworking function would plug in:
/// a user directory (unknown users get 550 5.1.1) and a store that answers 250 once it has the message.
/// </summary>
internal sealed class ListenerHarness : IAsyncDisposable
{
    public static readonly string[] Users = ["mary@a.example", "peter@a.example"];

    private ListenerHarness(SmtpListener listener, RecordingLoggerFactory log)
    {
        Listener = listener;
        Log = log;
    }

    public SmtpListener Listener { get; }

    /// <summary>The listener's log; bad input must never produce an error event in it.</summary>
    public RecordingLoggerFactory Log { get; }

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    public IPEndPoint Endpoint => Listener.LocalEndPoint;

    public string Port => Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ListenerHarness Start(Action<SmtpListenerOptions>? configure = null)
    {
        var options = new SmtpListenerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Hostname = "mx.a.example",
            Certificate = TestCertificate.Instance,
            MaxMessageBytes = 64 * 1024,
            CommandTimeout = TimeSpan.FromSeconds(10),
            DataTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var log = new RecordingLoggerFactory();
        var harness = new ListenerHarness(new SmtpListener(options, log), log);
        harness.Listener.ValidateRecipient = (context, _) => ValueTask.FromResult(
            Users.Contains(context.Recipient, StringComparer.OrdinalIgnoreCase) ? new SmtpReply(250, "2.1.5 OK") : SmtpReply.UnknownUser);
        harness.Listener.OnMessage = (mail, _) =>
        {
            harness.Received.Enqueue(mail);
            return ValueTask.FromResult(new SmtpReply(250, $"2.0.0 Stored as {mail.TransactionId}"));
        };
        harness.Listener.Start();
        return harness;
    }

    public Task<RawSmtpClient> ConnectAsync() => RawSmtpClient.ConnectAsync(Endpoint);

    /// <summary>Set by a test whose point is an error (a failing hook); otherwise any error event fails the test.</summary>
    public bool ErrorsExpected { get; set; }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        if (!ErrorsExpected)
        {
            Assert.Empty(Log.Errors);
        }
    }
}
