namespace Converge.Interworking.Email;

/// <summary>How a <see cref="MimeParser"/> treats encoded words, parameters and addresses that break the RFCs.</summary>
public enum MimeParsingMode
{
    /// <summary>Read real-world mail: MimeKit's loose compliance (encoded words inside words, unquoted specials, and the like).</summary>
    Lenient,

    /// <summary>MimeKit's strict compliance: what breaks RFC 2047, 2231 or 5322 is left as it is rather than guessed at.</summary>
    Strict,
}
