using Converge.Interworking.Email;
using Converge.Interworking.Function;

namespace Converge.Interworking.Xmpp;

/// <summary>The SMTP sender as the interworking function's mail channel.</summary>
public sealed class MailChannel(SmtpSender sender) : IMailChannel
{
    public Task<SmtpDeliveryResult> SendAsync(string envelopeFrom, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        sender.SendAsync(envelopeFrom, recipients, message, cancellationToken);
}
