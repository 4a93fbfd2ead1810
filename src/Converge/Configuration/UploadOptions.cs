namespace Converge.Configuration;

/// <summary>The <c>Upload</c> section: HTTP File Upload (XEP-0363), served when the HTTP listener is on.</summary>
internal sealed class UploadOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The service's domain; empty: <c>upload.&lt;Domain&gt;</c>.</summary>
    public string Domain { get; set; } = "";

    public long MaxFileSize { get; set; } = 10 * 1024 * 1024;

    public long QuotaBytesPerUser { get; set; } = 100 * 1024 * 1024;

    /// <summary>Uploaded files are deleted this long after their upload; unset keeps them.</summary>
    public TimeSpan? ExpireAfter { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan SlotLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
