namespace Converge.Interworking.Email;

/// <summary>Where the MIME reader is in a message, line by line.</summary>
internal enum MimeParserState
{
    /// <summary>Reading the header fields of an entity, up to the blank line.</summary>
    Headers,

    /// <summary>Inside a multipart, before its first boundary (ignored text).</summary>
    Preamble,

    /// <summary>Inside the body of a leaf, up to a boundary of an enclosing multipart or the end.</summary>
    Body,

    /// <summary>After the closing boundary of a multipart (ignored text).</summary>
    Epilogue,

    /// <summary>Inside a part dropped because of the part limit, up to the next boundary.</summary>
    SkippedPart,
}
