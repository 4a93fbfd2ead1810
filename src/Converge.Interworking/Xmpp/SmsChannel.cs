using Converge.Interworking.Function;
using Converge.Interworking.Sms;

namespace Converge.Interworking.Xmpp;

/// <summary>The ESME as the interworking function's SMS channel.</summary>
public sealed class SmsChannel(SmppEsme esme) : ISmsChannel
{
    public Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken) => esme.SubmitAsync(sms, cancellationToken);
}
