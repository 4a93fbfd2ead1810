using Converge.Interworking.Email;

namespace Converge.Interworking.Function;

/// <summary>The mail network as the interworking function sees it (the SMTP sender, or a test double).</summary>
public interface IMailChannel
{
    Task<SmtpDeliveryResult> SendAsync(string envelopeFrom, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
