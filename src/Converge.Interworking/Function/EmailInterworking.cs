using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Interworking.Email;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>
/// The interworking function for email, the second adapter on the same function as SMS: the same
/// outbox, thread rules and session adaptation. Threads map to mail by Message-ID: every mail sent
/// for a thread has an id bound to that thread, and a reply's In-Reply-To / References find it.
/// </summary>
public sealed partial class EmailInterworking : InterworkingChannel
{
    private readonly string _mailDomain;
    private readonly IMailChannel _mail;
    private readonly Func<string, string?> _subscriberByMailbox;
    private readonly MimeParser _parser = new(MimeParsingMode.Lenient);

    /// <param name="mailDomain">The domain of CPM users' email identities (Email.Domain).</param>
    /// <param name="subscriberByMailbox">The subscriber's bare JID for a mailbox of ours (local part or their configured address), or null.</param>
    public EmailInterworking(
        InterworkingSettings settings, string mailDomain, IOutboxStore outbox, IThreadMapStore threads, IInterworkingStateStore state, IMailChannel mail, IConversationSink sink,
        Func<string, string?> subscriberByMailbox, ILogger<EmailInterworking> logger, TimeProvider? time = null)
        : base(OutboxChannel.Email, "email", settings, outbox, threads, state, sink, logger, time)
    {
        _mailDomain = mailDomain;
        _mail = mail;
        _subscriberByMailbox = subscriberByMailbox;
    }

    /// <summary>A CPM user's message for an email user: headers settled, stored in the outbox before this returns true.</summary>
    public async Task<bool> AcceptAsync(OutboundConversationMessage message, CancellationToken cancellationToken)
    {
        var thread = await Book.OutboundThreadAsync(message, cancellationToken).ConfigureAwait(false);
        var user = Jid.Parse(message.Sender);
        var from = $"{user.Local}@{_mailDomain}";
        var messageId = $"{thread}.{Guid.NewGuid():N}@{_mailDomain}";

        // Mail in a thread keeps its subject and answers its latest mail, either way.
        var emailThread = await Threads.FindEmailThreadAsync(user, message.Recipient, thread, cancellationToken).ConfigureAwait(false);
        var subject = emailThread?.Subject ?? SubjectFrom(message);
        var inReplyTo = emailThread?.LatestMessageId;
        List<string> references = inReplyTo is null ? [] : [inReplyTo];

        // Queued together, so that the thread's records and the outbox item share one grouped commit.
        var envelope = new OutboxEnvelope(message, thread, from, Book.Adapt(message), new MailHeaders(from, subject, messageId, inReplyTo, references));
        await Task.WhenAll(
            Book.RecordOutboundAsync(message, thread, cancellationToken),
            Threads.BindMessageIdAsync(new MessageIdBinding(messageId, user, message.Recipient, thread, subject), cancellationToken),
            Threads.SetEmailThreadAsync(new EmailThread(user, message.Recipient, thread, subject, messageId), cancellationToken),
            EnqueueAsync(envelope, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    private static string SubjectFrom(OutboundConversationMessage message)
    {
        if (message.Kind == ConversationKind.SessionInvite)
        {
            return "Chat invitation";
        }

        var firstLine = message.Text.Split('\n', 2)[0].Trim();
        return firstLine.Length switch
        {
            0 => "Message",
            <= 60 => firstLine,
            _ => firstLine[..57] + "...",
        };
    }

    private protected override async Task<(SendOutcome Outcome, string? Reason)> SendAsync(OutboxItem item, OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        var headers = envelope.Mail!;
        var mail = new OutboundMail
        {
            From = new MailboxAddress(Jid.Parse(envelope.Message.Sender).Local, headers.From),
            To = [new MailboxAddress(null, envelope.Message.Recipient)],
            // Envelopes queued before schema 7 may carry the old "subject\nlatest id" string.
            Subject = headers.Subject.Split('\n')[0],
            MessageId = headers.MessageId,
            InReplyTo = headers.InReplyTo,
            References = headers.References,
            Text = envelope.Text,
            ExtraHeaders = [new("X-Converge-Thread", envelope.Thread)],
        };

        SmtpDeliveryResult result;
        try
        {
            result = await _mail.SendAsync(headers.From, [envelope.Message.Recipient], MimeWriter.Write(mail), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            return (SendOutcome.Transient, e.Message);
        }

        var recipient = result.Recipients.FirstOrDefault();
        LogSent(Logger, item.Id, envelope.Message.Recipient, recipient?.ToString() ?? "no answer");
        return result.Status switch
        {
            SmtpDeliveryStatus.Delivered => (SendOutcome.Sent, null),
            SmtpDeliveryStatus.PermanentFailure => (SendOutcome.Permanent, $"the mail server refused it: {recipient?.ReplyCode} {recipient?.Reply}"),
            _ => (SendOutcome.Transient, $"{recipient?.ReplyCode} {recipient?.Reply}"),
        };
    }

    /// <summary>RCPT TO: a mailbox of one of our subscribers, or 550.</summary>
    public string? SubscriberFor(string recipient) => _subscriberByMailbox(recipient.ToLowerInvariant());

    /// <summary>
    /// A mail for our subscribers: the reply text (quoted history trimmed) into each one's
    /// conversation, under the sender's escaped mail address (<see cref="MailSender"/>), in the thread
    /// its In-Reply-To / References name when that thread is with this very sender. Returns 250 once
    /// stored, or the refusal of a mail whose sender cannot be a legacy address (nothing delivered).
    /// </summary>
    public async Task<SmtpReply> DeliverAsync(string reversePath, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var mail = _parser.Parse(data);
        if (!MailSender.TryGetAddress(mail, out var sender, out var reason))
        {
            LogSenderRefused(Logger, reversePath, reason);
            LegacySenderRefusals.Count("email");
            return MailSender.Refusal(reason);
        }

        var text = ReplyTextExtractor.ExtractReplyText(mail);
        var legacyJid = $"{EscapedEmail.ToLocalpart(sender)}@{Settings.Domain}";
        foreach (var recipient in recipients)
        {
            if (SubscriberFor(recipient) is not { } user)
            {
                continue;
            }

            var thread = await CorrelatedThreadAsync(mail, user, sender, cancellationToken).ConfigureAwait(false);
            var subject = StripReply(mail.Subject);
            await Book.DeliverInboundAsync(user, sender, legacyJid, text, thread, subject, cancellationToken).ConfigureAwait(false);
            if (mail.MessageId is { } incomingId && thread is not null)
            {
                // Our next mail in this thread answers this one.
                await Threads.SetEmailThreadAsync(new EmailThread(Jid.Parse(user), sender, thread, subject ?? "Message", incomingId), cancellationToken).ConfigureAwait(false);
            }
        }

        return SmtpReply.Ok;
    }

    /// <summary>
    /// The thread a mail answers: the newest id of In-Reply-To / References that we bound to a thread
    /// of this CPM user with this very correspondent. A Message-ID says nothing about who quotes it:
    /// someone else quoting it (a forward, a Cc, a guess) gets their own thread, never that one.
    /// </summary>
    private async Task<string?> CorrelatedThreadAsync(MailMessage mail, string user, string sender, CancellationToken cancellationToken)
    {
        foreach (var id in mail.InReplyTo.Concat(mail.References.Reverse()))
        {
            if (await Threads.FindMessageIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } bound || bound.CpmUser.ToString() != user)
            {
                continue;
            }

            if (string.Equals(bound.LegacyAddress, sender, StringComparison.OrdinalIgnoreCase))
            {
                return bound.Thread;
            }

            LogForeignReference(Logger, sender, id, bound.LegacyAddress);
        }

        return null;
    }

    private static string? StripReply(string? subject)
    {
        var s = subject?.Trim();
        while (s is not null && (s.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("Aw:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("Fwd:", StringComparison.OrdinalIgnoreCase)))
        {
            s = s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }

        return string.IsNullOrEmpty(s) ? null : s;
    }

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Inbound mail (MAIL FROM <{ReversePath}>) refused with 550 5.1.7: {Reason}")]
    private static partial void LogSenderRefused(ILogger logger, string reversePath, string reason);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Information, Message = "Mail from {Sender} refers to {MessageId} of a conversation with {Correspondent}; it does not join that thread")]
    private static partial void LogForeignReference(ILogger logger, string sender, string messageId, string correspondent);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Outbox item {Id} mailed to {Recipient}: {Result}")]
    private static partial void LogSent(ILogger logger, long id, string recipient, string result);
}
