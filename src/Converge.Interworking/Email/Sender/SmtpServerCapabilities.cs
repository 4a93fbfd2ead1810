using System.Globalization;

namespace Converge.Interworking.Email;

/// <summary>The extensions a server listed in its EHLO reply (RFC 5321 §4.1.1.1).</summary>
internal sealed record SmtpServerCapabilities(bool Extended, bool StartTls, bool Pipelining, bool EightBitMime, bool Size, long? MaxSize)
{
    public static SmtpServerCapabilities Helo { get; } = new(false, false, false, false, false, null);

    public static SmtpServerCapabilities FromEhlo(SmtpReply reply)
    {
        bool startTls = false, pipelining = false, eightBit = false, sizeOffered = false;
        long? size = null;
        foreach (var line in reply.Lines.Skip(1))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0].ToUpperInvariant())
            {
                case "STARTTLS":
                    startTls = true;
                    break;
                case "PIPELINING":
                    pipelining = true;
                    break;
                case "8BITMIME":
                    eightBit = true;
                    break;
                case "SIZE":
                    sizeOffered = true;
                    // "SIZE" alone or "SIZE 0" means no fixed limit (RFC 1870 §4).
                    if (words.Length > 1 && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0)
                    {
                        size = limit;
                    }

                    break;
            }
        }

        return new SmtpServerCapabilities(true, startTls, pipelining, eightBit, sizeOffered, size);
    }
}
