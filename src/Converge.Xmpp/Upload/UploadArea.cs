using System.Collections.Concurrent;
using System.Security.Cryptography;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Upload;

/// <summary>
/// The files behind HTTP File Upload (XEP-0363): grants slots against the size limit and the user's
/// quota, checks each PUT against its slot (size, content type, once, in time), keeps the file under
/// the data directory and its record in storage, serves it to GET, and deletes old files.
/// A file is stored under its slot's random name only, so no client-chosen name ever reaches the disk.
/// </summary>
public sealed partial class UploadArea
{
    private const int MaxFileNameLength = 255;
    private const int MaxContentTypeLength = 255;

    private readonly IUploadStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, byte> _putsInProgress = new(StringComparer.Ordinal);

    public UploadArea(UploadSettings settings, IUploadStore store, TimeProvider time, ILogger logger)
    {
        Settings = settings;
        _store = store;
        _time = time;
        _log = logger;
        Directory.CreateDirectory(settings.Directory);
    }

    public UploadSettings Settings { get; }

    /// <summary>A slot for <paramref name="owner"/> (a local account, checked by the caller).</summary>
    internal async Task<SlotGrant> RequestSlotAsync(Jid owner, string? fileName, long size, string? contentType, CancellationToken cancellationToken)
    {
        if (!IsAcceptableFileName(fileName) || size <= 0)
        {
            return new SlotGrant(SlotRequestOutcome.BadRequest, Reason: "A slot needs a plain file name and a positive size.");
        }

        contentType = string.IsNullOrEmpty(contentType) ? "" : contentType.Trim();
        if (contentType.Length > 0 && !IsAcceptableContentType(contentType))
        {
            return new SlotGrant(SlotRequestOutcome.BadRequest, Reason: "The content type is not a MIME type.");
        }

        if (size > Settings.MaxFileSize)
        {
            LogRefused(_log, owner.ToString(), size, "larger than the maximum file size");
            return new SlotGrant(SlotRequestOutcome.TooLarge, Reason: $"The file is larger than {Settings.MaxFileSize} bytes.");
        }

        var now = _time.GetUtcNow();
        var held = await _store.BytesHeldAsync(owner.Bare.ToString(), now - Settings.SlotLifetime, cancellationToken).ConfigureAwait(false);
        if (held + size > Settings.QuotaBytesPerUser)
        {
            LogRefused(_log, owner.ToString(), size, "over the user's quota");
            return new SlotGrant(SlotRequestOutcome.QuotaExceeded, Reason: $"Your files would exceed your quota of {Settings.QuotaBytesPerUser} bytes; older files expire, or ask your provider.");
        }

        var slot = Base64Url(RandomNumberGenerator.GetBytes(24));
        await _store.AddAsync(new UploadRecord(slot, owner.Bare.ToString(), fileName!, size, contentType, now, null), cancellationToken).ConfigureAwait(false);
        var url = new Uri(Settings.PublicUrl, $"upload/{slot}/{Uri.EscapeDataString(fileName!)}");
        LogGranted(_log, owner.ToString(), size);
        return new SlotGrant(SlotRequestOutcome.Granted, url, url);
    }

    /// <summary>
    /// Stores the body of a PUT to <c>/upload/&lt;slot&gt;/&lt;fileName&gt;</c> when it matches the slot;
    /// reads at most the slot's size plus one byte, whatever the client declared.
    /// </summary>
    public async Task<PutOutcome> PutAsync(string slot, string fileName, long? contentLength, string? contentType, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var record = await _store.FindAsync(slot, cancellationToken).ConfigureAwait(false);
        if (record is null || record.FileName != fileName)
        {
            return PutOutcome.UnknownSlot;
        }

        if (record.UploadedAt is not null)
        {
            return PutOutcome.AlreadyUsed;
        }

        if (_time.GetUtcNow() > record.CreatedAt + Settings.SlotLifetime)
        {
            return PutOutcome.Expired;
        }

        if (contentLength != record.Size)
        {
            return PutOutcome.WrongSize;
        }

        if (record.ContentType.Length > 0 && !string.Equals(MediaType(contentType), MediaType(record.ContentType), StringComparison.OrdinalIgnoreCase))
        {
            return PutOutcome.WrongContentType;
        }

        if (!_putsInProgress.TryAdd(slot, 0))
        {
            return PutOutcome.AlreadyUsed;
        }

        var path = PathOf(slot);
        var partial = path + ".part";
        try
        {
            long written;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                written = await CopyAtMostAsync(body, file, record.Size + 1, cancellationToken).ConfigureAwait(false);
            }

            if (written != record.Size)
            {
                File.Delete(partial);
                return PutOutcome.WrongSize;
            }

            File.Move(partial, path, overwrite: true);
            if (!await _store.MarkUploadedAsync(slot, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                return PutOutcome.AlreadyUsed;
            }

            LogStored(_log, record.Owner, record.Size);
            return PutOutcome.Created;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        finally
        {
            _putsInProgress.TryRemove(slot, out _);
        }
    }

    /// <summary>The uploaded file at <c>/upload/&lt;slot&gt;/&lt;fileName&gt;</c>, or null.</summary>
    public async Task<UploadedFile?> FindAsync(string slot, string fileName, CancellationToken cancellationToken)
    {
        var record = await _store.FindAsync(slot, cancellationToken).ConfigureAwait(false);
        if (record is not { UploadedAt: not null } || record.FileName != fileName || !File.Exists(PathOf(slot)))
        {
            return null;
        }

        return new UploadedFile(PathOf(slot), record.FileName, record.ContentType.Length > 0 ? record.ContentType : "application/octet-stream", record.Size);
    }

    /// <summary>Deletes files past <see cref="UploadSettings.ExpireAfter"/> and slots never used, every minute.</summary>
    internal async Task RunExpiryAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await ExpireAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMinutes(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One expiry pass; returns how many slots and files were removed.</summary>
    internal async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        while (true)
        {
            var expired = await _store.ExpiredAsync(now - Settings.ExpireAfter, now - Settings.SlotLifetime - TimeSpan.FromMinutes(1), 500, cancellationToken).ConfigureAwait(false);
            foreach (var record in expired)
            {
                if (_putsInProgress.ContainsKey(record.Slot))
                {
                    continue;
                }

                File.Delete(PathOf(record.Slot));
                await _store.RemoveAsync(record.Slot, cancellationToken).ConfigureAwait(false);
                removed++;
            }

            if (expired.Count < 500)
            {
                break;
            }
        }

        if (removed > 0)
        {
            LogExpired(_log, removed);
        }

        return removed;
    }

    private string PathOf(string slot) => Path.Combine(Settings.Directory, slot);

    private static async Task<long> CopyAtMostAsync(Stream from, Stream to, long max, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (total < max)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, max - total)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }

        return total;
    }

    private static string MediaType(string? contentType)
    {
        var value = contentType ?? "";
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? value : value[..semicolon]).Trim();
    }

    internal static bool IsAcceptableFileName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= MaxFileNameLength && name is not ("." or "..")
        && !name.Any(c => c is '/' or '\\' || char.IsControl(c));

    private static bool IsAcceptableContentType(string value)
    {
        if (value.Length > MaxContentTypeLength)
        {
            return false;
        }

        var media = MediaType(value);
        var slash = media.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < media.Length - 1 && media.All(c => c is > ' ' and < (char)127 && c is not ('"' or ',' or '(' or ')' or '<' or '>' or '@' or '\\' or '[' or ']' or '?' or '='))
            && !value.Any(char.IsControl);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Upload slot of {Size} bytes granted to {Jid}")]
    private static partial void LogGranted(ILogger logger, string jid, long size);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Upload slot of {Size} bytes refused to {Jid}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string jid, long size, string reason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Upload of {Size} bytes by {Owner} stored")]
    private static partial void LogStored(ILogger logger, string owner, long size);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Removed {Count} expired uploads and unused slots")]
    private static partial void LogExpired(ILogger logger, int count);
}
