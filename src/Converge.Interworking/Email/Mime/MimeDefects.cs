namespace Converge.Interworking.Email;

/// <summary>
/// What a lenient read tolerated in a message. In strict mode the first of these ends the read
/// with a <see cref="MimeParseException"/> instead.
/// </summary>
[Flags]
public enum MimeDefects
{
    None = 0,

    /// <summary>A line ended in a bare LF instead of CRLF.</summary>
    BareLineFeed = 1 << 0,

    /// <summary>A multipart ended without its closing boundary (the input ended first).</summary>
    MissingFinalBoundary = 1 << 1,

    /// <summary>A header line had no colon, an invalid name, or a continuation with nothing to continue.</summary>
    MalformedHeader = 1 << 2,

    /// <summary>A header block was larger than the limit; the rest of its fields were dropped.</summary>
    HeaderTooLarge = 1 << 3,

    /// <summary>A line was longer than the limit (header lines are cut, body lines kept).</summary>
    LineTooLong = 1 << 4,

    /// <summary>Multiparts nested deeper than the limit; the too-deep one was kept unread, as an opaque part.</summary>
    DepthLimitExceeded = 1 << 5,

    /// <summary>More parts than the limit; the extra ones were dropped.</summary>
    PartLimitExceeded = 1 << 6,

    /// <summary>A charset that is not known here; the text was read as UTF-8 or windows-1252.</summary>
    UnknownCharset = 1 << 7,

    /// <summary>A multipart without a boundary parameter, read as plain text.</summary>
    MissingBoundary = 1 << 8,

    /// <summary>A Content-Type that could not be parsed, read as text/plain.</summary>
    InvalidContentType = 1 << 9,

    /// <summary>A Content-Transfer-Encoding that is not known here; the body was taken as it is.</summary>
    UnknownTransferEncoding = 1 << 10,

    /// <summary>Base64 or quoted-printable content with invalid characters or sequences.</summary>
    InvalidEncoding = 1 << 11,

    /// <summary>Header bytes that are neither ASCII nor UTF-8 (read as windows-1252).</summary>
    InvalidHeaderBytes = 1 << 12,

    /// <summary>An RFC 2047 encoded word that could not be decoded; kept as it was written.</summary>
    InvalidEncodedWord = 1 << 13,

    /// <summary>An address, message id or date that could not be parsed.</summary>
    InvalidStructuredHeader = 1 << 14,
}
