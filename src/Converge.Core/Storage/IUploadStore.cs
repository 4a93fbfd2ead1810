namespace Converge.Core.Storage;

/// <summary>
/// Upload slots and uploaded files (XEP-0363): kept in storage so that a user's quota and the expiry
/// of old files survive a restart. The files themselves live on disk under the data directory.
/// </summary>
public interface IUploadStore
{
    Task AddAsync(UploadRecord record, CancellationToken cancellationToken = default);

    Task<UploadRecord?> FindAsync(string slot, CancellationToken cancellationToken = default);

    /// <summary>Marks the slot's file as uploaded; false when it already was (a slot is used once).</summary>
    Task<bool> MarkUploadedAsync(string slot, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bytes <paramref name="owner"/> holds: uploaded files, and slots granted since
    /// <paramref name="pendingSince"/> that may still be used (their size is reserved).
    /// </summary>
    Task<long> BytesHeldAsync(string owner, DateTimeOffset pendingSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// Slots to forget: files uploaded before <paramref name="uploadedBefore"/> (null: files never expire)
    /// and slots never used that were granted before <paramref name="unusedBefore"/>.
    /// </summary>
    Task<IReadOnlyList<UploadRecord>> ExpiredAsync(DateTimeOffset? uploadedBefore, DateTimeOffset unusedBefore, int max, CancellationToken cancellationToken = default);

    Task RemoveAsync(string slot, CancellationToken cancellationToken = default);
}
