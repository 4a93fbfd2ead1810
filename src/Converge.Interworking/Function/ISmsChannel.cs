using Converge.Interworking.Sms;

namespace Converge.Interworking.Function;

/// <summary>The SMS network as the interworking function sees it (the ESME, or a test double).</summary>
public interface ISmsChannel
{
    /// <summary>Submits all parts in order. Throws <see cref="SmppSubmitException"/>.</summary>
    Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken);
}
