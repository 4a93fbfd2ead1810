namespace Converge.Xmpp.Sasl;

/// <summary>
/// The server side of one SASL exchange: one instance per authentication attempt, fed each
/// client message (the initial response, then each &lt;response/&gt;) already base64-decoded.
/// Pure computation: no I/O, not thread-safe.
/// </summary>
/// <remarks>
/// An empty first message is taken as "no initial response" and answered with an empty challenge.
/// Once a step returns Success or Failure, every further call fails.
/// </remarks>
public interface ISaslServer
{
    /// <summary>The SASL mechanism name, e.g. "SCRAM-SHA-256-PLUS".</summary>
    string Mechanism { get; }

    SaslStep Evaluate(ReadOnlySpan<byte> clientMessage);

    /// <summary>
    /// The authentication identity (for XMPP the localpart) the client claims once its first message
    /// is parsed; proven only when a step returned <see cref="SaslOutcome.Success"/>.
    /// </summary>
    string? Username { get; }

    /// <summary>The authorization identity the client asked for, if any; the XMPP layer decides whether it is allowed.</summary>
    string? AuthorizationId { get; }
}
