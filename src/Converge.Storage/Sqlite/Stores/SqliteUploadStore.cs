using Converge.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>Upload slots and files (XEP-0363); see <see cref="IUploadStore"/>. Times are Unix milliseconds.</summary>
internal sealed class SqliteUploadStore(SqliteWriter writer, SqliteReaderPool readers) : IUploadStore
{
    private const string Columns = "slot, owner, file_name, size, content_type, created_at, uploaded_at";

    private const string Insert = $"INSERT INTO upload_slots ({Columns}) VALUES ($slot, $owner, $file_name, $size, $content_type, $created_at, NULL)";

    private const string Select = $"SELECT {Columns} FROM upload_slots WHERE slot = $slot";

    private const string MarkUploaded = "UPDATE upload_slots SET uploaded_at = $at WHERE slot = $slot AND uploaded_at IS NULL";

    private const string SumHeld = """
        SELECT COALESCE(SUM(size), 0) FROM upload_slots
        WHERE owner = $owner AND (uploaded_at IS NOT NULL OR created_at >= $pending_since)
        """;

    private const string SelectExpired = $"""
        SELECT {Columns} FROM upload_slots
        WHERE (uploaded_at IS NULL AND created_at < $unused_before) OR (uploaded_at IS NOT NULL AND uploaded_at < $uploaded_before)
        LIMIT $max
        """;

    private const string Delete = "DELETE FROM upload_slots WHERE slot = $slot";

    public Task AddAsync(UploadRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return writer.WriteAsync(
            static (s, r) => s.Command(Insert)
                .Bind("$slot", r.Slot).Bind("$owner", r.Owner).Bind("$file_name", r.FileName).Bind("$size", r.Size)
                .Bind("$content_type", r.ContentType).Bind("$created_at", r.CreatedAt.ToUnixTimeMilliseconds())
                .ExecuteNonQuery(),
            record,
            cancellationToken);
    }

    public Task<UploadRecord?> FindAsync(string slot, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<string, UploadRecord?>(
            static (s, slot) =>
            {
                using var reader = s.Command(Select).Bind("$slot", slot).ExecuteReader();
                return reader.Read() ? Row(reader) : null;
            },
            slot,
            cancellationToken);

    public async Task<bool> MarkUploadedAsync(string slot, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(
            static (s, a) => s.Command(MarkUploaded).Bind("$slot", a.Slot).Bind("$at", a.At).ExecuteNonQuery(),
            (Slot: slot, At: at.ToUnixTimeMilliseconds()),
            cancellationToken).ConfigureAwait(false) == 1;

    public Task<long> BytesHeldAsync(string owner, DateTimeOffset pendingSince, CancellationToken cancellationToken = default) =>
        readers.ReadAsync(
            static (s, a) => Convert.ToInt64(s.Command(SumHeld).Bind("$owner", a.Owner).Bind("$pending_since", a.Since).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture),
            (Owner: owner, Since: pendingSince.ToUnixTimeMilliseconds()),
            cancellationToken);

    public Task<IReadOnlyList<UploadRecord>> ExpiredAsync(DateTimeOffset? uploadedBefore, DateTimeOffset unusedBefore, int max, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<(long Uploaded, long Unused, int Max), IReadOnlyList<UploadRecord>>(
            static (s, a) =>
            {
                using var reader = s.Command(SelectExpired)
                    .Bind("$uploaded_before", a.Uploaded).Bind("$unused_before", a.Unused).Bind("$max", a.Max).ExecuteReader();
                var rows = new List<UploadRecord>();
                while (reader.Read())
                {
                    rows.Add(Row(reader));
                }

                return rows;
            },
            (uploadedBefore?.ToUnixTimeMilliseconds() ?? long.MinValue, unusedBefore.ToUnixTimeMilliseconds(), max),
            cancellationToken);

    public Task RemoveAsync(string slot, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(static (s, slot) => s.Command(Delete).Bind("$slot", slot).ExecuteNonQuery(), slot, cancellationToken);

    private static UploadRecord Row(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
