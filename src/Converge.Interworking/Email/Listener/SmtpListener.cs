using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Email;

/// <summary>
/// The inbound SMTP server (RFC 5321) with SIZE, 8BITMIME, PIPELINING, ENHANCEDSTATUSCODES and
/// STARTTLS. It accepts nothing by itself: <see cref="ValidateRecipient"/> decides each RCPT and
/// <see cref="OnMessage"/> each message, and the client gets 250 only after OnMessage returned it.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, bool> _sessions = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private readonly global::Converge.Xmpp.Transport.AddressConnectionLimit _perAddress;
    private int _sessionCount;

    public SmtpListener(SmtpListenerOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _perAddress = new global::Converge.Xmpp.Transport.AddressConnectionLimit(options.Limits.MaxUnauthenticatedPerAddress);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Converge.Email.SmtpListener");
    }

    public SmtpListenerOptions Options { get; }

    /// <summary>
    /// The store's room (issue 15, item 4: disk full). While it says full, MAIL and RCPT are answered
    /// <c>452 4.3.1</c> before any DATA is taken, so the sending server keeps the mail and tries again
    /// later instead of handing over what could not be stored; the next MAIL after space returned is taken.
    /// </summary>
    public Core.Storage.StorageSpace? Space { get; set; }

    /// <summary>MAIL and RCPT refused for want of space since start (every hundredth is logged).</summary>
    internal long StorageRefusals;

    /// <summary>Decides a RCPT TO (e.g. 550 5.1.1 for an unknown user); when null every syntactically valid recipient is accepted.</summary>
    public Func<SmtpRecipientContext, CancellationToken, ValueTask<SmtpReply>>? ValidateRecipient { get; set; }

    /// <summary>
    /// Takes a received message; its reply goes to the client as the reply to the final dot, so it must
    /// return 250 only once the message is stored durably. When null, messages get 451 (nothing is lost).
    /// An exception becomes 451 as well.
    /// </summary>
    public Func<ReceivedMail, CancellationToken, ValueTask<SmtpReply>>? OnMessage { get; set; }

    /// <summary>The endpoint actually bound (port 0 in the options becomes a real port).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket ?? throw new InvalidOperationException("The listener is not started")).LocalEndPoint!;

    /// <summary>Sessions open now.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>Binds (throws if the port is taken) and starts accepting connections.</summary>
    public void Start()
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The listener is already started");
        }

        var socket = new Socket(Options.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(Options.Endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        SmtpListenerLog.Listening(_logger, LocalEndPoint, Options.Hostname);
        _acceptLoop = AcceptAsync(socket, _shutdown.Token);
    }

    private async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a connection reset before it was accepted
            }

            socket.NoDelay = true;
            var session = Task.Run(() => ServeAsync(socket, cancellationToken), CancellationToken.None);
            _sessions.TryAdd(session, true);
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var sessions = Interlocked.Increment(ref _sessionCount);
        var remote = socket.RemoteEndPoint as IPEndPoint;
        using var lease = _perAddress.TryAcquire(remote?.Address);
        try
        {
            var stream = new NetworkStream(socket, ownsSocket: true);
            if (sessions > Options.MaxSessions)
            {
                SmtpListenerLog.TooManySessions(_logger, remote, sessions - 1);
                await RefuseAsync(stream, SmtpReplies.TooManySessions(Options.Hostname)).ConfigureAwait(false);
                return;
            }

            if (lease is null)
            {
                SmtpListenerLog.TooManyFromAddress(_logger, remote, _perAddress.MaxPerAddress);
                await RefuseAsync(stream, SmtpReplies.TooManyFromAddress(Options.Hostname)).ConfigureAwait(false);
                return;
            }

            await new SmtpSession(this, stream, remote, _logger, cancellationToken).RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in one session must never take the listener down.
            SmtpListenerLog.SessionFailed(_logger, "-", e);
        }
        finally
        {
            Interlocked.Decrement(ref _sessionCount);
        }
    }

    private static async Task RefuseAsync(NetworkStream stream, SmtpReply reply)
    {
        await using (stream.ConfigureAwait(false))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(reply.ToString() + "\r\n");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client is gone.
            }
        }
    }

    /// <summary>Stops accepting, ends every session with 421 and waits for them (bounded by <paramref name="cancellationToken"/> and 5 s).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        var pending = _sessions.Keys.ToList();
        if (_acceptLoop is not null)
        {
            pending.Add(_acceptLoop);
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Sessions still stuck in a hook: they observe the cancelled token on their own.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
