using System.Text;
using Converge.Core.Addressing;

namespace Converge.Fuzz.Targets;

/// <summary>
/// JID (RFC 7622) and E.164 parsing, and the escaped e-mail localparts (XEP-0106) that carry mail
/// addresses in JIDs. The input is one candidate string; TryParse style APIs must answer, never throw,
/// and what parses must stay the same when parsed again from its own string form.
/// </summary>
internal sealed class AddressTarget : IFuzzTarget
{
    public string Name => "address";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (Jid.TryParse(text, out var jid))
        {
            var again = Jid.TryParse(jid.ToString(), out var reparsed) ? reparsed : null;
            if (!jid.Equals(again))
            {
                throw new FuzzFindingException($"A JID does not survive its own string form: '{text}' -> '{jid}' -> '{again}'");
            }

            _ = E164.IsE164Localpart(jid.Local);
            if (EscapedEmail.FromLocalpart(jid.Local) is { } email)
            {
                _ = EscapedEmail.IsRoutableAddress(email);
            }
        }

        if (E164.TryNormalize(text, out var normalized))
        {
            if (!E164.TryNormalize(normalized, out var twice) || twice != normalized)
            {
                throw new FuzzFindingException($"E.164 normalisation is not idempotent: '{text}' -> '{normalized}' -> '{twice}'");
            }
        }

        if (EscapedEmail.IsRoutableAddress(text))
        {
            var local = EscapedEmail.ToLocalpart(text);
            if (EscapedEmail.FromLocalpart(local) is not { } back || back != text.ToLowerInvariant())
            {
                throw new FuzzFindingException($"A mail address does not survive escaping: '{text}' -> '{local}'");
            }
        }
    }
}
