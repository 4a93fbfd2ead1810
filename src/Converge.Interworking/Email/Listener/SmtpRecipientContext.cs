using System.Net;

namespace Converge.Interworking.Email;

/// <summary>One RCPT TO to be accepted or refused by <see cref="SmtpListener.ValidateRecipient"/>.</summary>
public sealed class SmtpRecipientContext
{
    /// <summary>The recipient address without angle brackets.</summary>
    public required string Recipient { get; init; }

    /// <summary>The MAIL FROM address; empty for the null reverse-path.</summary>
    public required string ReversePath { get; init; }

    /// <summary>The recipients accepted so far in this transaction.</summary>
    public IReadOnlyList<string> AcceptedRecipients { get; init; } = [];

    public string? HeloName { get; init; }

    public IPEndPoint? RemoteEndPoint { get; init; }

    public bool IsSecure { get; init; }
}
