using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TlsAuthenticationException = System.Security.Authentication.AuthenticationException;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Converge.Interworking.Email;

/// <summary>
/// Sends a message by SMTP (RFC 5321) through a smart host or to each recipient domain's MX hosts.
/// The SMTP dialogue is MailKit's <see cref="SmtpClient"/> (EHLO or HELO, STARTTLS, SIZE,
/// 8BITMIME, PIPELINING, dot-stuffing); ours is the route (relay, or MX hosts and their addresses
/// in order), the TLS policy (opportunistic with a clear-text retry, or required), and the
/// result: per recipient, delivered, failed for now (4xx, no connection, DNS trouble: retry later)
/// or failed for good (5xx), with the server's reply. It never retries by itself: the durable
/// queue above it decides when to try again.
/// </summary>
public sealed class SmtpSender
{
    private readonly SmtpSenderOptions _options;
    private readonly ILogger _logger;
    private readonly MailHostResolver _mailHosts;
    private readonly (string Host, int Port)? _relay;

    public SmtpSender(SmtpSenderOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Converge.Email.SmtpSender");
        _relay = options.Relay is null ? null : ParseRelay(options.Relay);
        _mailHosts = new MailHostResolver(options.DnsResolver(), options.MxPort, options.MaxMxHosts, options.AllowInternalMailHosts);
    }

    public async Task<SmtpDeliveryResult> SendAsync(string envelopeFrom, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeFrom);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed", nameof(recipients));
        }

        var envelope = new Envelope(Mailbox(envelopeFrom), LoadMessage(message), message.Length);
        var results = new SmtpRecipientResult[recipients.Count];
        var groups = recipients
            .Select((address, index) => (Address: address, Index: index))
            .GroupBy(r => _relay is null ? DomainOf(r.Address) : string.Empty, StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            var batch = group.ToList();
            var addresses = batch.Select(r => r.Address).ToList();
            MailRoute route;
            if (_relay is { } relay)
            {
                route = await RelayRouteAsync(relay, cancellationToken).ConfigureAwait(false);
            }
            else if (group.Key.Length == 0)
            {
                route = MailRoute.Unreachable(SmtpDeliveryStatus.PermanentFailure, "5.1.3 Recipient address without a domain");
            }
            else
            {
                route = await _mailHosts.ResolveAsync(group.Key, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<SmtpRecipientResult> outcome;
            if (route.Hosts.Count == 0)
            {
                SmtpSenderLog.NoRoute(_logger, group.Key, route.Failure ?? string.Empty);
                outcome = [.. addresses.Select(a => new SmtpRecipientResult(a, route.FailureStatus, null, route.Failure ?? string.Empty, null))];
            }
            else
            {
                outcome = await DeliverAsync(route, envelope, addresses, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                results[batch[i].Index] = outcome[i];
            }
        }

        foreach (var result in results.Where(r => r.Status != SmtpDeliveryStatus.Delivered))
        {
            SmtpSenderLog.NotDelivered(_logger, result.Recipient, result.Status, result.ToString());
        }

        return new SmtpDeliveryResult(results);
    }

    private async Task<IReadOnlyList<SmtpRecipientResult>> DeliverAsync(MailRoute route, Envelope envelope, List<string> recipients, CancellationToken cancellationToken)
    {
        Attempt? last = null;
        foreach (var host in route.Hosts)
        {
            foreach (var address in host.Addresses)
            {
                var endpoint = new IPEndPoint(address, host.Port);
                var attempt = await AttemptAsync(host.Name, endpoint, envelope, recipients, allowTls: true, cancellationToken).ConfigureAwait(false);
                if (!attempt.TryNextHost)
                {
                    return attempt.Results;
                }

                SmtpSenderLog.HostFailed(_logger, host.Name, endpoint, attempt.Results[0].Reply);
                last = attempt;
            }
        }

        return last!.Results;
    }

    /// <summary>One connection to one address. TryNextHost when the host could not take the mail at all.</summary>
    private async Task<Attempt> AttemptAsync(string hostName, IPEndPoint endpoint, Envelope envelope, List<string> recipients, bool allowTls, CancellationToken cancellationToken)
    {
        using var client = new RecipientRecordingClient(recipients);
        client.LocalDomain = _options.HeloName;
        client.CheckCertificateRevocation = false;
        if (!_options.ValidateServerCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        var progress = new DataProgress();
        try
        {
            await ConnectAsync(client, hostName, endpoint, allowTls, cancellationToken).ConfigureAwait(false);
            if (client.Capabilities.HasFlag(SmtpCapabilities.Size) && client.MaxSize > 0 && envelope.Size > (long)client.MaxSize)
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"5.3.4 The message ({envelope.Size} bytes) exceeds the {client.MaxSize} bytes {hostName} accepts");
                await QuitAsync(client).ConfigureAwait(false);
                return Done(recipients.Select(r => new SmtpRecipientResult(r, SmtpDeliveryStatus.PermanentFailure, null, text, hostName)));
            }

            client.Timeout = Milliseconds(_options.CommandTimeout);
            var final = await client.SendAsync(envelope.Message, envelope.From, recipients.Select(Mailbox), cancellationToken, progress).ConfigureAwait(false);
            SmtpSenderLog.Delivered(_logger, envelope.From.Address, client.Accepted.Count, hostName, final);
            await QuitAsync(client).ConfigureAwait(false);
            return Done(client.Results(new SmtpReply(250, final), hostName));
        }
        catch (NoRecipientAcceptedException)
        {
            var refusals = client.Results(null, hostName);
            if (refusals.Any(r => r.ReplyCode == 421))
            {
                return new Attempt(true, refusals); // the server is going away, not refusing these recipients
            }

            await QuitAsync(client).ConfigureAwait(false);
            return Done(refusals);
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.SenderNotAccepted && (int)e.StatusCode != 421)
        {
            await QuitAsync(client).ConfigureAwait(false);
            return Done(recipients.Select(r => Result(r, Reply(e), hostName)));
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.MessageNotAccepted)
        {
            await QuitAsync(client).ConfigureAwait(false);
            return Done(client.Results(Reply(e), hostName));
        }
        catch (SmtpCommandException e)
        {
            // The greeting, EHLO and HELO, or a 421: this host cannot take mail now.
            return NextHost(recipients, Reply(e), hostName);
        }
        catch (NotSupportedException) when (_options.RequireTls)
        {
            return NextHost(recipients, null, hostName, $"4.7.10 {hostName} does not offer TLS, which is required");
        }
        catch (Exception e) when (allowTls && !_options.RequireTls && e is SslHandshakeException or TlsAuthenticationException)
        {
            // Opportunistic TLS: a failed handshake is retried in clear on a new connection.
            SmtpSenderLog.TlsFallback(_logger, hostName, e);
            return await AttemptAsync(hostName, endpoint, envelope, recipients, allowTls: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or MailKit.ProtocolException or SslHandshakeException or TlsAuthenticationException or ServiceNotConnectedException)
        {
            var reason = $"{Describe(e, hostName)} ({hostName} {endpoint})";
            if (!progress.DataSent)
            {
                return NextHost(recipients, null, hostName, "4.4.1 " + reason);
            }

            // The server may have taken the message; a later retry can make a duplicate, a loss is worse.
            return Done(client.Results(null, hostName).Select(r => r.ReplyCode is null
                ? r with { Status = SmtpDeliveryStatus.TransientFailure, Reply = "4.4.2 Connection lost after the message was sent: " + reason }
                : r));
        }
    }

    /// <summary>TCP to the chosen address within the connect timeout, then MailKit's greeting, EHLO and STARTTLS within the greeting timeout.</summary>
    private async Task ConnectAsync(SmtpClient client, string hostName, IPEndPoint endpoint, bool allowTls, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(endpoint, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"No connection within {_options.ConnectTimeout.TotalSeconds:0.#} s");
                }
            }

            var tls = !allowTls || !(_options.UseStartTls || _options.RequireTls) ? SecureSocketOptions.None
                : _options.RequireTls ? SecureSocketOptions.StartTls
                : SecureSocketOptions.StartTlsWhenAvailable;
            client.Timeout = Milliseconds(_options.GreetingTimeout);
            await client.ConnectAsync(socket, hostName, endpoint.Port, tls, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException or MailKit.ProtocolException or SmtpCommandException)
        {
            // The transaction is over; a rude goodbye changes nothing.
        }
    }

    private async Task<MailRoute> RelayRouteAsync((string Host, int Port) relay, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(relay.Host, out var literal))
        {
            return new MailRoute([new MailHost(relay.Host, [literal], relay.Port)]);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(relay.Host, cancellationToken).ConfigureAwait(false);
            return addresses.Length == 0
                ? MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 The relay {relay.Host} has no address")
                : new MailRoute([new MailHost(relay.Host, [.. addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)], relay.Port)]);
        }
        catch (SocketException e)
        {
            return MailRoute.Unreachable(SmtpDeliveryStatus.TransientFailure, $"4.4.3 The relay {relay.Host} cannot be resolved: {e.Message}");
        }
    }

    internal static (string Host, int Port) ParseRelay(string relay)
    {
        var text = relay.Trim();
        string host;
        var port = 25;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Relay '{relay}' is not host:port", nameof(relay));
            }

            host = text[1..close];
            text = text[(close + 1)..];
            if (text.StartsWith(':') && !int.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                throw new ArgumentException($"Relay '{relay}' has an invalid port", nameof(relay));
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                throw new ArgumentException($"Relay '{relay}' has an invalid port", nameof(relay));
            }
        }

        if (host.Length == 0 || port is < 1 or > 65535)
        {
            throw new ArgumentException($"Relay '{relay}' is not host:port", nameof(relay));
        }

        return (host, port);
    }

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : address[(at + 1)..];
    }

    private static MimeMessage LoadMessage(ReadOnlyMemory<byte> message)
    {
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        return MimeMessage.Load(stream);
    }

    private static MimeKit.MailboxAddress Mailbox(string address) => new(string.Empty, address);

    private static SmtpReply Reply(SmtpCommandException e) => new((int)e.StatusCode, e.Message);

    private static int Milliseconds(TimeSpan timeout) => (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);

    internal static SmtpRecipientResult Result(string recipient, SmtpReply reply, string host)
    {
        var status = reply.Code switch
        {
            >= 200 and < 300 => SmtpDeliveryStatus.Delivered,
            >= 500 => SmtpDeliveryStatus.PermanentFailure,
            _ => SmtpDeliveryStatus.TransientFailure,
        };
        return new SmtpRecipientResult(recipient, status, reply.Code, reply.Text, host);
    }

    private static Attempt NextHost(List<string> recipients, SmtpReply? reply, string host, string? reason = null) =>
        new(true, [.. recipients.Select(r => reply is null
            ? new SmtpRecipientResult(r, SmtpDeliveryStatus.TransientFailure, null, reason ?? string.Empty, host)
            : Result(r, reply, host))]);

    private static Attempt Done(IEnumerable<SmtpRecipientResult> results) => new(false, [.. results]);

    private string Describe(Exception e, string host) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "Connection refused",
        SocketException s => $"Connection failed: {s.SocketErrorCode}",
        TimeoutException or IOException { InnerException: TimeoutException } => $"No reply from {host}: {e.Message}",
        SslHandshakeException or TlsAuthenticationException => $"TLS failed: {e.Message}",
        _ => e.Message,
    };

    private sealed record Envelope(MimeKit.MailboxAddress From, MimeMessage Message, long Size);

    private sealed record Attempt(bool TryNextHost, IReadOnlyList<SmtpRecipientResult> Results);
}
