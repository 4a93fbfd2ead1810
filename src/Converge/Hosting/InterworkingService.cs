using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Interworking;
using Converge.Interworking.Function;
using Converge.Interworking.Sms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Runs the interworking function when the configuration has an <c>Sms</c> section: binds to the
/// SMSC, resumes the outbox, and puts the IWF on the router's routing step.
/// </summary>
internal sealed class InterworkingService(ConvergeSettings settings, XmppService xmpp, IStores stores, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private SmppEsme? _esme;
    private SmsInterworking? _sms;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gateway = new LegacyGateway(xmpp.Server);
        xmpp.Server.Interworking.Gateway = gateway;
        if (settings.Sms is not { } sms)
        {
            return; // no Sms section: messages that would need SMS get service-unavailable
        }

        _esme = new SmppEsme(sms.Smpp, loggerFactory.CreateLogger<SmppEsme>());
        _sms = new SmsInterworking(
            new InterworkingSettings
            {
                Domain = settings.Domain,
                SourceNumbers = sms.SourceNumbers,
                ReplyWindow = sms.ReplyWindow,
                SessionInviteTimeout = sms.SessionInviteTimeout,
                InviteTemplate = sms.Templates.Invite,
                AcceptedTemplate = sms.Templates.Accepted,
                DeclinedTemplate = sms.Templates.Declined,
                EndedTemplate = sms.Templates.Ended,
                InviteKeyword = sms.Templates.InviteKeyword,
                EndKeyword = sms.Templates.EndKeyword,
            },
            stores.Outbox,
            stores.ThreadMap,
            new SmsChannel(_esme),
            gateway,
            number => xmpp.Server.FindSubscriberByNumber(number)?.Jid.ToString(),
            loggerFactory.CreateLogger<SmsInterworking>());
        gateway.Sms = _sms;
        _esme.OnMessage = _sms.OnSmsAsync;
        _esme.OnReceipt = _sms.OnReceiptAsync;
        await _esme.StartAsync(cancellationToken).ConfigureAwait(false);
        await _sms.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
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
