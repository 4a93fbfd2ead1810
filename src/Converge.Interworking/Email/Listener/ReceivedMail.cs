using System.Net;

namespace Converge.Interworking.Email;

/// <summary>A message the listener has received completely, with its envelope, handed to <see cref="SmtpListener.OnMessage"/>.</summary>
public sealed class ReceivedMail
{
    /// <summary>The MAIL FROM address; empty for the null reverse-path (bounces).</summary>
    public required string ReversePath { get; init; }

    /// <summary>The accepted RCPT TO addresses, in order, without duplicates.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>
    /// The message: dot-unstuffed, CRLF line endings, with the listener's Received: trace field first
    /// (RFC 5321 §4.4). A fresh buffer the hook may keep.
    /// </summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    public string? HeloName { get; init; }

    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>True when the session was protected by STARTTLS.</summary>
    public bool IsSecure { get; init; }

    /// <summary>True when the client declared BODY=8BITMIME.</summary>
    public bool Is8BitMime { get; init; }

    public required string TransactionId { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
