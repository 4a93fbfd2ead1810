using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// DATA: 354, the message up to CRLF "." CRLF, then the listener's OnMessage hook decides the reply
/// (250 only once the message is stored). Size, line length and bare LF are judged on the bytes
/// received; a refused message is discarded whole.
/// </summary>
internal sealed class DataCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Data;

    public override async ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        if (transaction.Recipients.Count == 0)
        {
            return SmtpCommandOutcome.Failure(SmtpReplies.NoValidRecipients);
        }

        var options = session.Options;
        await session.WriteReplyAsync(SmtpReplies.StartData, flush: true, cancellationToken).ConfigureAwait(false);
        var reader = new SmtpDataReader(options.MaxMessageBytes, options.MaxDataLineLength);
        var received = await session.ReadDataAsync(reader, cancellationToken).ConfigureAwait(false);
        if (received is not SmtpDataStatus.Complete)
        {
            session.EndTransaction();
            return received switch
            {
                SmtpDataStatus.TimedOut => SmtpCommandOutcome.Closing(SmtpReplies.Timeout(options.Hostname)),
                SmtpDataStatus.Flooded => SmtpCommandOutcome.Closing(SmtpReplies.MessageTooBig(options.MaxMessageBytes)),
                _ => SmtpCommandOutcome.Closing(null),
            };
        }

        SmtpReply reply;
        if (reader.Overflowed)
        {
            SmtpListenerLog.MessageRefused(session.Logger, session.Id, "size", reader.Size);
            reply = SmtpReplies.MessageTooBig(options.MaxMessageBytes);
        }
        else if (reader.SawBareLineFeed && !options.AllowBareLineFeed)
        {
            SmtpListenerLog.MessageRefused(session.Logger, session.Id, "bare LF", reader.Size);
            reply = SmtpReplies.MessageHasBareLineFeed;
        }
        else if (reader.LineTooLong)
        {
            SmtpListenerLog.MessageRefused(session.Logger, session.Id, "line length", reader.Size);
            reply = SmtpReplies.MessageLineTooLong(options.MaxDataLineLength);
        }
        else
        {
            reply = await DeliverAsync(session, transaction, reader.Message, cancellationToken).ConfigureAwait(false);
        }

        session.EndTransaction();
        return SmtpCommandOutcome.Success(reply);
    }

    private static async ValueTask<SmtpReply> DeliverAsync(SmtpSession session, SmtpTransaction transaction, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (session.Listener.OnMessage is not { } onMessage)
        {
            return SmtpReplies.NotConfigured;
        }

        var now = DateTimeOffset.UtcNow;
        var trace = Encoding.ASCII.GetBytes(ReceivedField(session, transaction, now));
        var data = new byte[trace.Length + message.Length];
        trace.CopyTo(data, 0);
        message.CopyTo(data.AsMemory(trace.Length));
        var mail = new ReceivedMail
        {
            ReversePath = transaction.ReversePath,
            Recipients = [.. transaction.Recipients],
            Data = data,
            HeloName = session.HeloName,
            RemoteEndPoint = session.RemoteEndPoint,
            IsSecure = session.IsSecure,
            Is8BitMime = transaction.Is8BitMime,
            TransactionId = transaction.Id,
            ReceivedAt = now,
        };
        try
        {
            var reply = await onMessage(mail, cancellationToken).ConfigureAwait(false);
            SmtpListenerLog.MessageReceived(session.Logger, session.Id, transaction.Id, mail.Recipients.Count, message.Length, reply.Code);
            return reply;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SmtpListenerLog.HookFailed(session.Logger, session.Id, "OnMessage", e);
            return SmtpReply.LocalError;
        }
    }

    // RFC 5321 §4.4 trace field; "ESMTPS" when TLS was used (RFC 3848).
    private static string ReceivedField(SmtpSession session, SmtpTransaction transaction, DateTimeOffset now)
    {
        var helo = Sanitize(session.HeloName ?? "unknown");
        var address = session.RemoteEndPoint?.Address.ToString() ?? "unknown";
        var protocol = session.IsSecure ? "ESMTPS" : session.IsExtended ? "ESMTP" : "SMTP";
        var recipient = transaction.Recipients.Count == 1 ? $"\r\n\tfor <{transaction.Recipients[0]}>" : string.Empty;
        return $"Received: from {helo} ([{address}])\r\n\tby {session.Options.Hostname} with {protocol} id {transaction.Id}{recipient};\r\n\t{MailDate.Format(now)}\r\n";
    }

    private static string Sanitize(string value) =>
        string.Concat(value.Where(c => c is > ' ' and <= '~' and not '(' and not ')'));
}
