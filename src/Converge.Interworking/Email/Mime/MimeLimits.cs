namespace Converge.Interworking.Email;

/// <summary>Bounds on what the MIME reader accepts; each exceeded bound has its <see cref="MimeDefects"/> flag.</summary>
public sealed class MimeLimits
{
    /// <summary>Deepest multipart nesting read (the message itself is depth 0). Real mail rarely passes 5.</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Most entities (the message and all its parts) read from one message.</summary>
    public int MaxParts { get; init; } = 256;

    /// <summary>Largest header block of one entity, in bytes.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Longest line, in bytes without its line ending (RFC 5322 §2.1.1: 998).</summary>
    public int MaxLineLength { get; init; } = 998;

    public static MimeLimits Default { get; } = new();
}
