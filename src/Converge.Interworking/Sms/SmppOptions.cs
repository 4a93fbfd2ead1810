namespace Converge.Interworking.Sms;

/// <summary>How <see cref="SmppEsme"/> reaches and binds to the SMSC.</summary>
public sealed class SmppOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 2775;

    public string SystemId { get; set; } = "";

    /// <summary>Sent in bind_transceiver only; never logged.</summary>
    public string Password { get; set; } = "";

    public string SystemType { get; set; } = "";

    /// <summary>bind_transceiver sessions kept open at once; submissions are spread over them.</summary>
    public int Binds { get; set; } = 1;

    /// <summary>Requests awaiting their response at once, per bind.</summary>
    public int Window { get; set; } = 10;

    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan EnquireLinkInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>data_coding of GSM 7-bit text sent: 0 (SMSC default alphabet) unless the SMSC wants 1.</summary>
    public byte DefaultDataCoding { get; set; }

    /// <summary>Concatenate with the 16-bit reference UDH element (IEI 0x08) instead of the 8-bit one (IEI 0x00).</summary>
    public bool Use16BitReference { get; set; }

    /// <summary>
    /// Read inbound data_coding 1 (IA5) as US-ASCII. Off by default: SMSCs such as the npm smpp
    /// package label GSM 7-bit text with 1, and the two agree on letters and digits anyway.
    /// </summary>
    public bool Ia5IsAscii { get; set; }

    /// <summary>
    /// Country calling code ("49") of national numbers the SMSC gives as senders (TON national, or TON
    /// unknown starting with <see cref="NationalPrefix"/>). Unset: such senders are refused, as no
    /// international number can be made of them.
    /// </summary>
    public string? CountryCode { get; set; }

    /// <summary>Trunk prefix in front of national numbers ("0"), dropped before the country code is put in front.</summary>
    public string NationalPrefix { get; set; } = "0";

    /// <summary>
    /// How the SMSC writes message ids in delivery receipts compared with submit_sm_resp. Unless set,
    /// ids are compared as written (ignoring case and leading zeros): "10" never matches "16" (0x10).
    /// </summary>
    public SmppReceiptIdBase ReceiptIdBase { get; set; }

    public SmppLimits Limits { get; set; } = new();

    /// <summary>Connect to the SMSC with TLS (<c>Sms.Tls</c>).</summary>
    public SmppTlsOptions Tls { get; set; } = new();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("SmppOptions.Host is empty: name the SMSC's host.");
        }

        if (Port is <= 0 or > 65535)
        {
            throw new ArgumentException($"SmppOptions.Port {Port} is not a TCP port.");
        }

        if (Binds < 1 || Window < 1)
        {
            throw new ArgumentException("SmppOptions.Binds and SmppOptions.Window must be at least 1.");
        }

        if (ResponseTimeout <= TimeSpan.Zero || EnquireLinkInterval <= TimeSpan.Zero || ReconnectMin <= TimeSpan.Zero || ReconnectMax < ReconnectMin)
        {
            throw new ArgumentException("SmppOptions: timeouts must be positive and ReconnectMax at least ReconnectMin.");
        }

        if (CountryCode is not null && (CountryCode.Length is 0 or > 3 || CountryCode[0] == '0' || CountryCode.Any(c => !char.IsAsciiDigit(c))))
        {
            throw new ArgumentException($"SmppOptions.CountryCode \"{CountryCode}\" is not a country calling code (1 to 3 digits, the first not 0).");
        }

        if (NationalPrefix.Length > 3 || NationalPrefix.Any(c => !char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"SmppOptions.NationalPrefix \"{NationalPrefix}\" is not a trunk prefix (up to 3 digits).");
        }
    }
}
