namespace Converge.Interworking.Email;

/// <summary>One entity of a MIME message: the message itself or one of its parts.</summary>
public sealed class MimeEntity
{
    internal MimeEntity(MimeHeaderList headers, ContentType contentType, string transferEncoding, int depth)
    {
        Headers = headers;
        ContentType = contentType;
        TransferEncoding = transferEncoding;
        Depth = depth;
    }

    public MimeHeaderList Headers { get; }

    public ContentType ContentType { get; }

    /// <summary>The Content-Transfer-Encoding in lower case; "7bit" when absent.</summary>
    public string TransferEncoding { get; }

    /// <summary>Nesting depth: 0 for the message itself.</summary>
    public int Depth { get; }

    /// <summary>True when the entity was read as a multipart (it has a boundary and was within the depth limit).</summary>
    public bool IsMultipart { get; internal init; }

    /// <summary>The parts of a multipart; empty for a leaf.</summary>
    public IReadOnlyList<MimeEntity> Parts { get; internal init; } = [];

    /// <summary>The body of a leaf with its transfer encoding removed; empty for a multipart.</summary>
    public ReadOnlyMemory<byte> Content { get; internal init; }

    /// <summary>The decoded text of a text/* leaf (charset applied, line endings as "\n"); null otherwise.</summary>
    public string? Text { get; internal init; }

    /// <summary>The file name from Content-Disposition or the Content-Type name parameter, decoded.</summary>
    public string? FileName { get; internal init; }

    /// <summary>True for Content-Disposition: attachment, or any part that names a file.</summary>
    public bool IsAttachment { get; internal init; }

    /// <summary>True when the part was kept unread because it was nested past the depth limit.</summary>
    public bool IsOpaque { get; internal init; }
}
