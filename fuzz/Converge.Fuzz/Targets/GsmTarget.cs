using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Text;

namespace Converge.Fuzz.Targets;

/// <summary>
/// The SMS user data decoders without the PDU around them: the first byte is data_coding, the rest
/// the user data, read with and without a User Data Header (TS 23.040 §9.2.3.24). Decoding never
/// throws; GSM text that decodes must encode back to the same septets' meaning.
/// </summary>
internal sealed class GsmTarget : IFuzzTarget
{
    public string Name => "gsm";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var dataCoding = input[0];
        var userData = input[1..];
        var text = new SmsTextDecoder().Decode(userData, dataCoding);
        _ = new SmsTextDecoder(ia5IsAscii: true).Decode(userData, dataCoding);
        if (UserDataHeader.TrySplit(userData, out var header, out var rest))
        {
            _ = UserDataHeader.FindConcatenation(header);
            _ = SmsTextDecoder.Decode(rest, SmsAlphabet.Gsm7);
        }

        var gsm = GsmAlphabet.GetString(userData);
        if (GsmAlphabet.CanEncode(gsm) && GsmAlphabet.GetString(GsmAlphabet.GetBytes(gsm)) != gsm)
        {
            throw new FuzzFindingException($"GSM text does not survive encoding: '{gsm}'");
        }

        _ = text.Length;
    }
}
