using System.Text;

namespace Converge.Interworking.Sms.Text;

/// <summary>Turns the octets of a short message into text according to its data_coding.</summary>
internal sealed class SmsTextDecoder(bool ia5IsAscii = false)
{
    public static SmsTextDecoder Default { get; } = new();

    public SmsAlphabet AlphabetOf(byte dataCoding) => SmsDataCoding.Classify(dataCoding, ia5IsAscii);

    public string Decode(ReadOnlySpan<byte> octets, byte dataCoding) => Decode(octets, AlphabetOf(dataCoding));

    public static string Decode(ReadOnlySpan<byte> octets, SmsAlphabet alphabet) => alphabet switch
    {
        SmsAlphabet.Gsm7 => GsmAlphabet.GetString(octets),
        SmsAlphabet.Ascii => Encoding.ASCII.GetString(octets),
        // An odd trailing octet cannot be half a UCS-2 character; it is dropped.
        SmsAlphabet.Ucs2 => Encoding.BigEndianUnicode.GetString(octets[..(octets.Length & ~1)]),
        _ => Encoding.Latin1.GetString(octets),
    };
}
