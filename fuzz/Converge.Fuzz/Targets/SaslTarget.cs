using System.Text;
using Converge.Core.Accounts;
using Converge.Xmpp.Sasl;

namespace Converge.Fuzz.Targets;

/// <summary>
/// SASL PLAIN and SCRAM (RFC 4616, RFC 5802, RFC 7677): the first byte picks the mechanism, the
/// rest is the client's messages separated by 0xFF (a byte UTF-8 never uses, so the messages
/// themselves may still be any other bytes). The server nonce is fixed to RFC 7677's so that a
/// seed's client-final can reach the proof check. No outcome is an error here: the server answers
/// every message with a challenge, success or failure, and must never throw.
/// </summary>
internal sealed class SaslTarget : IFuzzTarget
{
    private const string RfcServerNonceSuffix = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    // RFC 7677 §3's user and salt, so its example exchange is a seed that succeeds.
    private static readonly ScramCredential Sha256 =
        ScramCredentials.Derive("SHA-256", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    private static readonly ScramCredential Sha1 =
        ScramCredentials.Derive("SHA-1", "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);

    private static readonly ChannelBinding Binding = new(ChannelBinding.TlsExporter, [.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    public string Name => "sasl";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var server = Mechanism(input[0]);
        var rest = input[1..];
        for (var step = 0; step < 4; step++)
        {
            var end = rest.IndexOf((byte)0xFF);
            var message = end < 0 ? rest : rest[..end];
            ParseAlone(message);
            var outcome = server.Evaluate(message);
            if (outcome.Outcome != SaslOutcome.Challenge || end < 0)
            {
                return;
            }

            rest = rest[(end + 1)..];
        }
    }

    private static ISaslServer Mechanism(byte selector) => (selector & 3) switch
    {
        0 => new PlainServer(Lookup),
        1 => new ScramServer("SHA-1", plus: false, Lookup, binding: null) { ServerNonceSuffix = RfcServerNonceSuffix },
        2 => new ScramServer("SHA-256", plus: false, Lookup, (selector & 4) != 0 ? Binding : null) { ServerNonceSuffix = RfcServerNonceSuffix },
        _ => new ScramServer("SHA-256", plus: true, Lookup, Binding) { ServerNonceSuffix = RfcServerNonceSuffix },
    };

    private static ScramCredential? Lookup(string username, string hash) =>
        username == "user" ? (hash == "SHA-1" ? Sha1 : Sha256) : null;

    /// <summary>The pieces the servers use, called on their own too: each must answer null, never throw.</summary>
    private static void ParseAlone(ReadOnlySpan<byte> message)
    {
        _ = PlainServer.ClaimedUsername(message);
        var text = Encoding.UTF8.GetString(message);
        _ = ScramClientFirstMessage.Parse(text, out _);
        _ = ScramClientFinalMessage.Parse(text, out _);
        _ = SaslName.Decode(text);
        _ = SaslPrep.Prepare(text);
    }
}
