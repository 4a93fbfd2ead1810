namespace Converge.Interworking.Email;

/// <summary>
/// The <c>Limits.Smtp</c> section: what one inbound SMTP client may take. Inbound mail is anonymous,
/// so every session is an unauthenticated one for <see cref="MaxUnauthenticatedPerAddress"/>.
/// </summary>
public sealed class SmtpLimits
{
    /// <summary>Sessions open at once from one address (IPv6: one /64); one more gets 421. 0: no limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int MaxUnauthenticatedPerAddress { get; set; } = 20;

    /// <summary>
    /// Command lines one session may send, whatever they are (NOOP and RSET included); the next gets 421
    /// and the session closes. 1000 leaves room for a transaction of 100 recipients many times over.
    /// </summary>
    public int MaxCommands { get; set; } = 1000;

    /// <summary>The longest a session may stay connected, however busy; at its end it gets 421 and is closed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
