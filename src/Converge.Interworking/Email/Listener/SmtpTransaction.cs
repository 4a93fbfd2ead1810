using System.Security.Cryptography;

namespace Converge.Interworking.Email;

/// <summary>One mail transaction: from MAIL to the reply to the final dot, or RSET.</summary>
internal sealed class SmtpTransaction(string reversePath, bool is8BitMime)
{
    public string Id { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));

    public string ReversePath { get; } = reversePath;

    public bool Is8BitMime { get; } = is8BitMime;

    public List<string> Recipients { get; } = [];
}
