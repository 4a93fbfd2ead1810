namespace Converge.Interworking.Email;

/// <summary>A parsed Content-Type: media type and subtype (lower case) and the parameters.</summary>
public sealed class ContentType
{
    public ContentType(string mediaType, string mediaSubtype, IReadOnlyDictionary<string, string> parameters)
    {
        MediaType = mediaType.ToLowerInvariant();
        MediaSubtype = mediaSubtype.ToLowerInvariant();
        Parameters = parameters;
    }

    public string MediaType { get; }

    public string MediaSubtype { get; }

    /// <summary>The parameters, names case-insensitive, values decoded (RFC 2231, RFC 2047).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public string MimeType => $"{MediaType}/{MediaSubtype}";

    public string? Charset => Parameters.GetValueOrDefault("charset");

    public string? Boundary => Parameters.GetValueOrDefault("boundary");

    public bool IsMultipart => MediaType == "multipart";

    /// <summary>RFC 2045 §5.2: no Content-Type means plain US-ASCII text.</summary>
    public static ContentType TextPlain { get; } = new("text", "plain", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["charset"] = "us-ascii" });

    /// <summary>RFC 2046 §5.1.5: the default inside multipart/digest.</summary>
    public static ContentType MessageRfc822 { get; } = new("message", "rfc822", new Dictionary<string, string>());

    public bool Is(string mediaType, string mediaSubtype) =>
        string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase);

    internal static ContentType Parse(string value, MimeDefectLog log)
    {
        var type = MimeParameters.Parse(value, log, out var parameters);
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == type.Length - 1 || type.AsSpan().ContainsAny(" \t\"<>@,"))
        {
            log.Flag(MimeDefects.InvalidContentType, $"Invalid Content-Type '{value}'");
            return new ContentType("text", "plain", parameters);
        }

        return new ContentType(type[..slash].Trim(), type[(slash + 1)..].Trim(), parameters);
    }

    public override string ToString() => MimeType;
}
