namespace Converge.Xmpp.Upload;

/// <summary>What became of a slot request (XEP-0363 §4, §5).</summary>
internal enum SlotRequestOutcome
{
    Granted,

    /// <summary>Larger than <see cref="UploadSettings.MaxFileSize"/>: file-too-large with the limit.</summary>
    TooLarge,

    /// <summary>The user's files and open slots would exceed the quota.</summary>
    QuotaExceeded,

    /// <summary>No usable file name, size or content type.</summary>
    BadRequest,
}
