using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Email;

/// <summary>
/// One inbound SMTP connection: the read loop owns the pipe reader and the state; commands are
/// parsed, checked against <see cref="SmtpStateTable"/>, then executed. Replies are flushed when no
/// further command is already buffered, which is how pipelined commands get one write (RFC 2920).
/// Every read has a timeout linked to the listener's shutdown.
/// </summary>
internal sealed class SmtpSession
{
    private readonly CancellationToken _shutdown;
    private SmtpTransport _transport;
    private SmtpState _state = SmtpState.Connected;
    private int _errors;
    private int _commands;
    private long _endsAt;

    public SmtpSession(SmtpListener listener, Stream stream, IPEndPoint? remoteEndPoint, ILogger logger, CancellationToken shutdown)
    {
        Listener = listener;
        Options = listener.Options;
        RemoteEndPoint = remoteEndPoint;
        Logger = logger;
        _shutdown = shutdown;
        _transport = SmtpTransport.Plain(stream);
    }

    public SmtpListener Listener { get; }

    public SmtpListenerOptions Options { get; }

    public ILogger Logger { get; }

    public string Id { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public IPEndPoint? RemoteEndPoint { get; }

    public string? HeloName { get; private set; }

    /// <summary>True after EHLO (rather than HELO).</summary>
    public bool IsExtended { get; private set; }

    public bool IsSecure => _transport.IsSecure;

    public SmtpTransaction? Transaction { get; private set; }

    public async Task RunAsync()
    {
        SmtpListenerLog.SessionStarted(Logger, Id, RemoteEndPoint);
        var reason = "closed";
        try
        {
            reason = await ServeAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            reason = "shutdown";
            await TryGoodbyeAsync(SmtpReplies.ShuttingDown(Options.Hostname)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or AuthenticationException)
        {
            reason = "connection lost: " + e.GetType().Name; // the client went away mid-write
        }
        finally
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            SmtpListenerLog.SessionEnded(Logger, Id, reason);
        }
    }

    private async Task<string> ServeAsync()
    {
        _endsAt = Environment.TickCount64 + (long)Options.Limits.SessionLifetime.TotalMilliseconds;
        await WriteReplyAsync(SmtpReplies.Greeting(Options.Hostname), flush: true, _shutdown).ConfigureAwait(false);
        while (true)
        {
            var line = await ReadCommandLineAsync().ConfigureAwait(false);
            SmtpReply? reply;
            var close = false;
            var isError = true;
            switch (line.Status)
            {
                case LineStatus.Closed:
                    return "client closed the connection";
                case LineStatus.TimedOut:
                    await TryGoodbyeAsync(SmtpReplies.Timeout(Options.Hostname)).ConfigureAwait(false);
                    return "timeout";
                case LineStatus.LifetimeOver:
                    SmtpListenerLog.LimitReached(Logger, Id, RemoteEndPoint, "session lifetime over");
                    await TryGoodbyeAsync(SmtpReplies.LifetimeOver(Options.Hostname)).ConfigureAwait(false);
                    return "session lifetime over";
                case LineStatus.TooLong:
                    reply = SmtpReplies.LineTooLong;
                    break;
                case var _ when ++_commands > Options.Limits.MaxCommands:
                    // Every line counts, NOOP and RSET too: a client that only keeps the line busy is cut.
                    SmtpListenerLog.LimitReached(Logger, Id, RemoteEndPoint, "command budget spent");
                    await TryGoodbyeAsync(SmtpReplies.TooManyCommands(Options.Hostname)).ConfigureAwait(false);
                    return "command budget spent";
                case LineStatus.BareLineFeed when !Options.AllowBareLineFeed:
                    reply = SmtpReplies.BareLineFeed;
                    break;
                default:
                    (reply, close, isError) = await ExecuteAsync(line.Bytes).ConfigureAwait(false);
                    break;
            }

            if (isError && ++_errors > Options.MaxErrors)
            {
                SmtpListenerLog.TooManyErrors(Logger, Id, RemoteEndPoint);
                reply = SmtpReplies.TooManyErrors;
                close = true;
            }

            if (close)
            {
                // No reply means the command already ended the conversation (a failed TLS handshake).
                if (reply is not null)
                {
                    await WriteReplyAsync(reply, flush: true, _shutdown).ConfigureAwait(false);
                }

                return reply is null ? "closed" : reply.Code == 221 ? "quit" : $"closed with {reply.Code}";
            }

            if (reply is not null)
            {
                await WriteReplyAsync(reply, flush: !line.MoreBuffered, _shutdown).ConfigureAwait(false);
            }
            else if (!line.MoreBuffered)
            {
                await FlushAsync(_shutdown).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<(SmtpReply? Reply, bool Close, bool IsError)> ExecuteAsync(byte[] line)
    {
        if (!SmtpCommandParser.TryParse(line, out var command, out var error))
        {
            return (error, false, true);
        }

        if (!SmtpStateTable.TryGetNext(_state, command!.Verb, out var next))
        {
            return (OutOfSequence(command.Verb), false, true);
        }

        var outcome = await command.ExecuteAsync(this, _shutdown).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            _state = next;
        }

        var isError = outcome.Reply is { Code: >= 500 } && command.Verb != SmtpVerb.Data;
        return (outcome.Reply, outcome.Close, isError);
    }

    private SmtpReply OutOfSequence(SmtpVerb verb) => (_state, verb) switch
    {
        (SmtpState.Connected, _) => SmtpReplies.HelloFirst,
        (SmtpState.MailFrom or SmtpState.Recipients, SmtpVerb.Mail) => SmtpReplies.NestedMail,
        (SmtpState.Identified, SmtpVerb.Rcpt or SmtpVerb.Data) => SmtpReplies.MailFirst,
        _ => SmtpReplies.BadSequence,
    };

    public void Identify(string domain, bool extended)
    {
        Transaction = null;
        HeloName = domain;
        IsExtended = extended;
    }

    public void BeginTransaction(string reversePath, bool is8BitMime) => Transaction = new SmtpTransaction(reversePath, is8BitMime);

    public void EndTransaction() => Transaction = null;

    /// <summary>After STARTTLS: everything learnt from the client before TLS is forgotten (RFC 3207 §4.2).</summary>
    public void Restart()
    {
        Transaction = null;
        HeloName = null;
        IsExtended = false;
    }

    public async ValueTask WriteReplyAsync(SmtpReply reply, bool flush, CancellationToken cancellationToken)
    {
        reply.WriteTo(_transport.Output);
        if (flush)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // A client that stops reading must not hold the session forever either.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout);
        var result = await _transport.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The connection was closed while writing");
        }
    }

    public async ValueTask<bool> UpgradeToTlsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout);
        try
        {
            _transport = await _transport.UpgradeAsync(Options.Certificate!, timeout.Token).ConfigureAwait(false);
            SmtpListenerLog.TlsEstablished(Logger, Id);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            SmtpListenerLog.TlsFailed(Logger, Id, e);
            return false;
        }
    }

    /// <summary>Feeds what arrives to <paramref name="reader"/> until the final dot, within the data timeout.</summary>
    public async ValueTask<SmtpDataStatus> ReadDataAsync(SmtpDataReader reader, CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        var floodLimit = (Options.MaxMessageBytes * 2) + (1024 * 1024);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.DataTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return SmtpDataStatus.TimedOut;
            }

            var buffer = result.Buffer;
            var done = reader.TryReadToEnd(buffer, out var consumed);
            input.AdvanceTo(consumed);
            if (done)
            {
                return SmtpDataStatus.Complete;
            }

            if (reader.Consumed > floodLimit)
            {
                return SmtpDataStatus.Flooded;
            }

            if (result.IsCompleted)
            {
                return SmtpDataStatus.ConnectionClosed;
            }
        }
    }

    /// <summary>
    /// The next command line, enforcing the line limit on the bytes: past it the rest of the line is
    /// read and dropped up to its LF, and the line is reported too long.
    /// </summary>
    private async ValueTask<CommandLine> ReadCommandLineAsync()
    {
        if (Environment.TickCount64 >= _endsAt)
        {
            return new CommandLine(LineStatus.LifetimeOver, [], false);
        }

        var input = _transport.Input;
        var discarding = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown);
        var lifetimeLeft = TimeSpan.FromMilliseconds(Math.Max(0, _endsAt - Environment.TickCount64));
        var lifetimeFirst = lifetimeLeft < Options.CommandTimeout;
        timeout.CancelAfter(lifetimeFirst ? lifetimeLeft : Options.CommandTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested)
            {
                return new CommandLine(lifetimeFirst ? LineStatus.LifetimeOver : LineStatus.TimedOut, [], false);
            }

            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                if (discarding || buffer.Length >= Options.MaxLineLength)
                {
                    discarding = true;
                    input.AdvanceTo(buffer.End);
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    return new CommandLine(LineStatus.Closed, [], false);
                }

                continue;
            }

            var content = buffer.Slice(0, newline.Value);
            var next = buffer.GetPosition(1, newline.Value);
            var moreBuffered = buffer.Slice(next).PositionOf((byte)'\n') is not null;
            CommandLine line;
            if (discarding || content.Length + 1 > Options.MaxLineLength)
            {
                line = new CommandLine(LineStatus.TooLong, [], moreBuffered);
            }
            else
            {
                var bytes = content.ToArray();
                line = bytes.Length > 0 && bytes[^1] == '\r'
                    ? new CommandLine(LineStatus.Complete, bytes[..^1], moreBuffered)
                    : new CommandLine(LineStatus.BareLineFeed, bytes, moreBuffered);
            }

            input.AdvanceTo(next);
            return line;
        }
    }

    private async ValueTask TryGoodbyeAsync(SmtpReply reply)
    {
        try
        {
            reply.WriteTo(_transport.Output);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _transport.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone or not reading; nothing more to say.
        }
    }

    private enum LineStatus
    {
        Complete,
        BareLineFeed,
        TooLong,
        TimedOut,
        LifetimeOver,
        Closed,
    }

    private readonly record struct CommandLine(LineStatus Status, byte[] Bytes, bool MoreBuffered);
}
