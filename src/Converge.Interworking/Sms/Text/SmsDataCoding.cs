namespace Converge.Interworking.Sms.Text;

/// <summary>
/// data_coding values (SMPP 3.4 §5.2.19) and the TS 23.038 §4 coding groups some SMSCs pass
/// through unchanged.
/// </summary>
internal static class SmsDataCoding
{
    public const byte SmscDefault = 0x00;
    public const byte Ia5 = 0x01;
    public const byte Binary8Bit = 0x02;
    public const byte Latin1 = 0x03;
    public const byte Binary = 0x04;
    public const byte Ucs2 = 0x08;

    /// <summary>
    /// The alphabet of a data_coding value. 0 is taken as the GSM default alphabet (what SMSCs
    /// deliver); 1 (IA5) as GSM too unless <paramref name="ia5IsAscii"/>, because SMSCs such as
    /// the npm smpp package label GSM text with it.
    /// </summary>
    public static SmsAlphabet Classify(byte dataCoding, bool ia5IsAscii = false)
    {
        switch (dataCoding)
        {
            case SmscDefault:
                return SmsAlphabet.Gsm7;
            case Ia5:
                return ia5IsAscii ? SmsAlphabet.Ascii : SmsAlphabet.Gsm7;
            case Latin1:
                return SmsAlphabet.Latin1;
            case Ucs2:
                return SmsAlphabet.Ucs2;
        }

        if (dataCoding < 0x10)
        {
            // SMPP's own values: 8-bit binary, JIS, Cyrillic, Hebrew, ... none of them GSM or UCS-2.
            return SmsAlphabet.Binary;
        }

        // TS 23.038 coding groups: 00xx (general) and 1111 (data coding/message class) keep the
        // alphabet in bits 3-2 (00xx) or bit 2 (1111); 1100-1110 (message waiting) use GSM, 1110 UCS-2.
        return (dataCoding >> 4) switch
        {
            <= 0x3 when (dataCoding & 0x20) == 0 => ((dataCoding >> 2) & 0x3) switch
            {
                0 => SmsAlphabet.Gsm7,
                2 => SmsAlphabet.Ucs2,
                _ => SmsAlphabet.Binary,
            },
            0xC or 0xD => SmsAlphabet.Gsm7,
            0xE => SmsAlphabet.Ucs2,
            0xF => (dataCoding & 0x04) == 0 ? SmsAlphabet.Gsm7 : SmsAlphabet.Binary,
            _ => SmsAlphabet.Binary,
        };
    }
}
