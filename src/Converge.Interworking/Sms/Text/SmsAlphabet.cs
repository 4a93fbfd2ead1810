namespace Converge.Interworking.Sms.Text;

/// <summary>How the octets of a short message are to be read.</summary>
internal enum SmsAlphabet
{
    /// <summary>GSM 7-bit default alphabet, unpacked (one septet per octet).</summary>
    Gsm7,

    /// <summary>US-ASCII (IA5), when the SMSC is known to mean it for data_coding 1.</summary>
    Ascii,

    /// <summary>ISO-8859-1.</summary>
    Latin1,

    /// <summary>UCS-2 big-endian (UTF-16BE in practice: surrogate pairs are passed through).</summary>
    Ucs2,

    /// <summary>8-bit data; shown as Latin-1 so no octet is lost.</summary>
    Binary,
}
