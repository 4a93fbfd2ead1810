namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// A text made ready for submit_sm: its encoding, data_coding, and the short_message of each part
/// in order (the UDH first when <see cref="HasUdh"/>, so esm_class must carry UDHI).
/// </summary>
internal sealed record SmsSegmentation(string Encoding, byte DataCoding, IReadOnlyList<byte[]> Parts, bool HasUdh)
{
    public const string Gsm7 = "GSM7";
    public const string Ucs2 = "UCS2";
}
