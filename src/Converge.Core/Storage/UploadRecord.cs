namespace Converge.Core.Storage;

/// <summary>
/// One HTTP upload slot (XEP-0363) and, once the client has PUT it, the file it stands for.
/// <paramref name="Slot"/> is the secret random part of the URL; <paramref name="Owner"/> the bare JID
/// that asked for it (its quota pays for the file).
/// </summary>
public sealed record UploadRecord(
    string Slot, string Owner, string FileName, long Size, string ContentType, DateTimeOffset CreatedAt, DateTimeOffset? UploadedAt);
