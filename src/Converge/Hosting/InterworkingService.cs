using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Interworking.Xmpp;
using Converge.Interworking.Function;
using Converge.Interworking.Email;
using Converge.Interworking.Sms;
using Converge.Tls;
using DnsClient;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Runs the interworking function when the configuration has an <c>Sms</c> section: binds to the
/// SMSC, resumes the outbox, and puts the IWF on the router's routing step.
/// </summary>
internal sealed class InterworkingService(ConvergeSettings settings, XmppService xmpp, IStores stores, ServerCertificate certificate, IDnsQuery dns, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private SmppEsme? _esme;
    private SmsInterworking? _sms;
    private EmailInterworking? _email;
    private SmtpListener? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gateway = new LegacyGateway(xmpp.Server);
        xmpp.Server.Interworking.Gateway = gateway;
        if (settings.Email is { } email)
        {
            await StartEmailAsync(email, gateway, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Sms is not { } sms)
        {
            return; // no Sms section: messages that would need SMS get service-unavailable
        }

        _esme = new SmppEsme(sms.Smpp, loggerFactory.CreateLogger<SmppEsme>());
        _sms = new SmsInterworking(
            Rules(sms.ReplyWindow, sms.SessionInviteTimeout, sms.Templates, sms.SourceNumbers, sms.InDoubtHold, sms.ReportTracking),
            stores.Outbox,
            stores.ThreadMap,
            stores.InterworkingState,
            new SmsChannel(_esme),
            gateway.SinkFor(Xmpp.Routing.LegacyChannel.Sms),
            number => xmpp.Server.FindSubscriberByNumber(number)?.Jid.ToString(),
            loggerFactory.CreateLogger<SmsInterworking>());
        gateway.Sms = _sms;
        _esme.OnMessage = _sms.OnSmsAsync;
        _esme.OnReceipt = _sms.OnReceiptAsync;
        _esme.Space = stores.Space;
        // The stored invitations and submissions are read before the first SMS can come in.
        await _sms.StartAsync(cancellationToken).ConfigureAwait(false);
        await _esme.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StartEmailAsync(EmailSettings email, LegacyGateway gateway, CancellationToken cancellationToken)
    {
        var sender = new SmtpSender(
            new SmtpSenderOptions { Relay = email.Relay, HeloName = email.Domain, ValidateServerCertificate = email.ValidateRelayCertificate, Dns = dns },
            loggerFactory);
        _email = new EmailInterworking(
            Rules(email.ReplyWindow, email.SessionInviteTimeout, email.Templates, sourceNumbers: []),
            email.Domain,
            stores.Outbox,
            stores.ThreadMap,
            stores.InterworkingState,
            new MailChannel(sender),
            gateway.SinkFor(Xmpp.Routing.LegacyChannel.Email),
            mailbox => MailboxOwner(mailbox, email.Domain),
            loggerFactory.CreateLogger<EmailInterworking>());
        gateway.Email = _email;
        await _email.StartAsync(cancellationToken).ConfigureAwait(false);
        if (email.Inbound is not { } endpoint)
        {
            return;
        }

        _listener = new SmtpListener(
            new SmtpListenerOptions { Endpoint = endpoint, Hostname = email.Domain, Certificate = certificate.Certificate, MaxMessageBytes = email.MaxMessageBytes, Limits = settings.SmtpLimits },
            loggerFactory)
        {
            Space = stores.Space,
            ValidateRecipient = (rcpt, _) => ValueTask.FromResult(_email.SubscriberFor(rcpt.Recipient) is null ? SmtpReply.UnknownUser : SmtpReply.Ok),
            // 250 only once every recipient's copy is stored (an accepted mail is never lost); a mail
            // whose sender cannot be a legacy address gets the IWF's refusal and reaches nobody.
            OnMessage = async (mail, ct) => await _email.DeliverAsync(mail.ReversePath, mail.Recipients, mail.Data, ct).ConfigureAwait(false),
        };
        _listener.Start();
    }

    /// <summary>Our subscriber for a mailbox at the email domain (local part = account name).</summary>
    private string? MailboxOwner(string mailbox, string mailDomain)
    {
        var at = mailbox.LastIndexOf('@');
        if (at <= 0 || !mailbox[(at + 1)..].Equals(mailDomain, StringComparison.OrdinalIgnoreCase)
            || !Core.Addressing.Jid.TryParse(mailbox[..at] + "@" + settings.Domain, out var jid))
        {
            return null;
        }

        return xmpp.Server.FindAccount(jid) is { } account ? account.Jid.ToString() : null;
    }

    private InterworkingSettings Rules(
        TimeSpan replyWindow, TimeSpan sessionInviteTimeout, InterworkingTemplates templates, IReadOnlyList<string> sourceNumbers,
        TimeSpan? inDoubtHold = null, TimeSpan? reportTracking = null) => new()
    {
        InDoubtHold = inDoubtHold ?? TimeSpan.FromMinutes(2),
        // A cluster node shares the outbox with the others: one node per lane, by lease.
        LaneLeasing = settings.Cluster is { } cluster && stores.OutboxLaneLeases is { } leases
            ? new OutboxLaneLeasing(leases, cluster.NodeName, cluster.OutboxLaneLease)
            : null,
        ReportTracking = reportTracking ?? TimeSpan.FromDays(3),
        Domain = settings.Domain,
        SourceNumbers = sourceNumbers,
        ReplyWindow = replyWindow,
        SessionInviteTimeout = sessionInviteTimeout,
        InviteTemplate = templates.Invite,
        AcceptedTemplate = templates.Accepted,
        DeclinedTemplate = templates.Declined,
        EndedTemplate = templates.Ended,
        InviteKeyword = templates.InviteKeyword,
        EndKeyword = templates.EndKeyword,
    };

    /// <summary>The running channel that sends <paramref name="channel"/>'s outbox, or null when it is not configured.</summary>
    public Converge.Interworking.Function.InterworkingChannel? Channel(Core.Storage.OutboxChannel channel) =>
        channel == Core.Storage.OutboxChannel.Sms ? _sms : _email;

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
        }

        if (_email is not null)
        {
            await _email.DisposeAsync().ConfigureAwait(false);
            _email = null;
        }

        if (_sms is not null)
        {
            await _sms.DisposeAsync().ConfigureAwait(false);
            _sms = null;
        }

        if (_esme is not null)
        {
            await _esme.DisposeAsync().ConfigureAwait(false);
            _esme = null;
        }
    }
}
