namespace Converge.Xmpp.Upload;

/// <summary>HTTP File Upload (XEP-0363) as the host configured it (the <c>Upload</c> section).</summary>
public sealed class UploadSettings
{
    /// <summary>The service's domain, e.g. <c>upload.example.com</c>.</summary>
    public required string Domain { get; init; }

    /// <summary>Where clients reach the HTTP listener; PUT and GET URLs are made under it.</summary>
    public required Uri PublicUrl { get; init; }

    /// <summary>Where uploaded files are kept (<c>&lt;data&gt;/uploads</c>).</summary>
    public required string Directory { get; init; }

    /// <summary>Largest file one slot may carry, in bytes.</summary>
    public long MaxFileSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>Bytes one user may hold at once: uploaded files and slots still open.</summary>
    public long QuotaBytesPerUser { get; init; } = 100 * 1024 * 1024;

    /// <summary>Files older than this are deleted; null keeps them.</summary>
    public TimeSpan? ExpireAfter { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long a granted slot may be used for its PUT.</summary>
    public TimeSpan SlotLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
