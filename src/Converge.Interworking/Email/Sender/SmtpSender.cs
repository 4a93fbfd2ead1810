using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Email;

/// <summary>
/// Sends a message by SMTP (RFC 5321) through a smart host or to each recipient domain's MX hosts:
/// EHLO (HELO when refused), STARTTLS when offered, SIZE, 8BITMIME, PIPELINING, dot-stuffing, the
/// RFC's timeouts. The result says per recipient whether it was delivered, failed for now (4xx,
/// no connection, DNS trouble: retry later) or failed for good (5xx), with the server's reply.
/// It never retries by itself: the durable queue above it decides when to try again.
/// </summary>
public sealed class SmtpSender
{
    private const int DataChunkBytes = 64 * 1024;

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
        _mailHosts = new MailHostResolver(options.DnsResolver(), options.MxPort, options.MaxMxHosts);
    }

    public async Task<SmtpDeliveryResult> SendAsync(string envelopeFrom, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeFrom);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed", nameof(recipients));
        }

        var data = DotStuffing.Encode(message.Span, out var size, out var has8Bit);
        var envelope = new Envelope(envelopeFrom, data, size, has8Bit);
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
        var decided = new SmtpRecipientResult?[recipients.Count];
        var finalDotSent = false;
        SmtpClientConnection? connection = null;
        try
        {
            connection = await SmtpClientConnection.ConnectAsync(endpoint, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            var greeting = await connection.ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                return NextHost(recipients, greeting, hostName);
            }

            var (capabilities, refusal) = await HelloAsync(connection, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return NextHost(recipients, refusal, hostName);
            }

            if (allowTls && _options.UseStartTls && capabilities!.StartTls)
            {
                var ready = await connection.CommandAsync("STARTTLS", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                if (ready.Code == 220)
                {
                    try
                    {
                        await connection.StartTlsAsync(hostName, _options.ValidateServerCertificate, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException && !_options.RequireTls)
                    {
                        // Opportunistic TLS: a failed handshake is retried in clear on a new connection.
                        SmtpSenderLog.TlsFallback(_logger, hostName, e);
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                        return await AttemptAsync(hostName, endpoint, envelope, recipients, allowTls: false, cancellationToken).ConfigureAwait(false);
                    }

                    (capabilities, refusal) = await HelloAsync(connection, cancellationToken).ConfigureAwait(false);
                    if (refusal is not null)
                    {
                        return NextHost(recipients, refusal, hostName);
                    }
                }
            }

            if (_options.RequireTls && !connection.IsSecure)
            {
                return NextHost(recipients, null, hostName, $"4.7.10 {hostName} does not offer TLS, which is required");
            }

            if (capabilities!.MaxSize is { } limit && envelope.Size > limit)
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"5.3.4 The message ({envelope.Size} bytes) exceeds the {limit} bytes {hostName} accepts");
                await QuitAsync(connection).ConfigureAwait(false);
                return Done(recipients.Select(r => new SmtpRecipientResult(r, SmtpDeliveryStatus.PermanentFailure, null, text, hostName)));
            }

            var mailFrom = MailFromCommand(envelope, capabilities);
            SmtpReply mailReply;
            var rcptReplies = new List<SmtpReply>(recipients.Count);
            SmtpReply? dataReply = null;
            if (capabilities.Pipelining)
            {
                // RFC 2920: MAIL, every RCPT and DATA in one write, then the replies in order.
                var batch = new StringBuilder(mailFrom).Append("\r\n");
                foreach (var recipient in recipients)
                {
                    batch.Append("RCPT TO:<").Append(recipient).Append(">\r\n");
                }

                batch.Append("DATA\r\n");
                await connection.WriteAsync(Encoding.ASCII.GetBytes(batch.ToString()), _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                mailReply = await connection.ReadReplyAsync(_options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                foreach (var unused in recipients)
                {
                    rcptReplies.Add(await connection.ReadReplyAsync(_options.CommandTimeout, cancellationToken).ConfigureAwait(false));
                }

                dataReply = await connection.ReadReplyAsync(_options.DataInitiationTimeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                mailReply = await connection.CommandAsync(mailFrom, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                if (mailReply.Code == 250)
                {
                    foreach (var recipient in recipients)
                    {
                        rcptReplies.Add(await connection.CommandAsync($"RCPT TO:<{recipient}>", _options.CommandTimeout, cancellationToken).ConfigureAwait(false));
                    }

                    if (rcptReplies.Any(r => r.Code / 100 == 2))
                    {
                        dataReply = await connection.CommandAsync("DATA", _options.DataInitiationTimeout, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (mailReply.Code == 421 || rcptReplies.Any(r => r.Code == 421))
            {
                return NextHost(recipients, mailReply.Code == 421 ? mailReply : rcptReplies.First(r => r.Code == 421), hostName);
            }

            if (mailReply.Code != 250)
            {
                await AbandonDataAsync(connection, dataReply, cancellationToken).ConfigureAwait(false);
                await QuitAsync(connection).ConfigureAwait(false);
                return Done(recipients.Select(r => Result(r, mailReply, hostName)));
            }

            var accepted = new List<int>();
            for (var i = 0; i < recipients.Count; i++)
            {
                if (rcptReplies[i].Code / 100 == 2)
                {
                    accepted.Add(i);
                }
                else
                {
                    decided[i] = Result(recipients[i], rcptReplies[i], hostName);
                }
            }

            if (accepted.Count == 0 || dataReply?.Code != 354)
            {
                await AbandonDataAsync(connection, dataReply, cancellationToken).ConfigureAwait(false);
                await QuitAsync(connection).ConfigureAwait(false);
                foreach (var i in accepted)
                {
                    decided[i] = Result(recipients[i], dataReply!, hostName);
                }

                return Done(decided!);
            }

            for (var offset = 0; offset < envelope.Data.Length; offset += DataChunkBytes)
            {
                var chunk = envelope.Data.AsMemory(offset, Math.Min(DataChunkBytes, envelope.Data.Length - offset));
                await connection.WriteAsync(chunk, _options.DataBlockTimeout, cancellationToken).ConfigureAwait(false);
            }

            finalDotSent = true;
            var final = await connection.ReadReplyAsync(_options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var i in accepted)
            {
                decided[i] = Result(recipients[i], final, hostName);
            }

            if (final.Code == 250)
            {
                SmtpSenderLog.Delivered(_logger, envelope.From, accepted.Count, hostName, final.ToString());
            }

            await QuitAsync(connection).ConfigureAwait(false);
            return Done(decided!);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or AuthenticationException)
        {
            var reason = $"{Describe(e)} ({hostName} {endpoint})";
            if (!finalDotSent)
            {
                return NextHost(recipients, null, hostName, "4.4.1 " + reason);
            }

            // The server may have taken the message; a later retry can make a duplicate, a loss is worse.
            for (var i = 0; i < decided.Length; i++)
            {
                decided[i] ??= new SmtpRecipientResult(recipients[i], SmtpDeliveryStatus.TransientFailure, null, "4.4.2 Connection lost after the message was sent: " + reason, hostName);
            }

            return Done(decided!);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<(SmtpServerCapabilities? Capabilities, SmtpReply? Refusal)> HelloAsync(SmtpClientConnection connection, CancellationToken cancellationToken)
    {
        var ehlo = await connection.CommandAsync($"EHLO {_options.HeloName}", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (ehlo.Code == 250)
        {
            return (SmtpServerCapabilities.FromEhlo(ehlo), null);
        }

        if (ehlo.Code is not (500 or 502 or 504 or 550))
        {
            return (null, ehlo);
        }

        var helo = await connection.CommandAsync($"HELO {_options.HeloName}", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return helo.Code == 250 ? (SmtpServerCapabilities.Helo, null) : (null, helo);
    }

    private static string MailFromCommand(Envelope envelope, SmtpServerCapabilities capabilities)
    {
        var command = new StringBuilder("MAIL FROM:<").Append(envelope.From).Append('>');
        if (capabilities.Size)
        {
            command.Append(CultureInfo.InvariantCulture, $" SIZE={envelope.Size}");
        }

        if (envelope.Has8Bit && capabilities.EightBitMime)
        {
            command.Append(" BODY=8BITMIME");
        }

        return command.ToString();
    }

    // DATA was accepted although nothing can be sent (pipelined DATA after failed RCPTs): an empty
    // message ends it (RFC 2920 §3.1) and its reply is ignored.
    private async Task AbandonDataAsync(SmtpClientConnection connection, SmtpReply? dataReply, CancellationToken cancellationToken)
    {
        if (dataReply?.Code == 354)
        {
            await connection.WriteLineAsync(".", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            await connection.ReadReplyAsync(_options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task QuitAsync(SmtpClientConnection connection)
    {
        var timeout = _options.CommandTimeout < TimeSpan.FromSeconds(5) ? _options.CommandTimeout : TimeSpan.FromSeconds(5);
        try
        {
            await connection.CommandAsync("QUIT", timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException)
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

    private static SmtpRecipientResult Result(string recipient, SmtpReply reply, string host)
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

    private static string Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "Connection refused",
        SocketException s => $"Connection failed: {s.SocketErrorCode}",
        TimeoutException t => t.Message,
        AuthenticationException a => $"TLS failed: {a.Message}",
        _ => e.Message,
    };

    private sealed record Envelope(string From, byte[] Data, long Size, bool Has8Bit);

    private sealed record Attempt(bool TryNextHost, IReadOnlyList<SmtpRecipientResult> Results);
}
