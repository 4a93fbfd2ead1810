using Converge.Core.Storage;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Upload slots and files (XEP-0363); see <see cref="IUploadStore"/>. Times are Unix milliseconds.</summary>
internal sealed class PostgresUploadStore(PostgresWriter writer, PostgresReader reader) : IUploadStore
{
    private const string Columns = "slot, owner, file_name, size, content_type, created_at, uploaded_at";

    private const string Insert = $"INSERT INTO upload_slots ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, NULL)";

    private const string Select = $"SELECT {Columns} FROM upload_slots WHERE slot = $1";

    private const string MarkUploaded = "UPDATE upload_slots SET uploaded_at = $2 WHERE slot = $1 AND uploaded_at IS NULL";

    private const string SumHeld = """
        SELECT COALESCE(SUM(size), 0)::bigint FROM upload_slots
        WHERE owner = $1 AND (uploaded_at IS NOT NULL OR created_at >= $2)
        """;

    private const string SelectExpired = $"""
        SELECT {Columns} FROM upload_slots
        WHERE (uploaded_at IS NULL AND created_at < $2) OR (uploaded_at IS NOT NULL AND uploaded_at < $1)
        LIMIT $3
        """;

    private const string Delete = "DELETE FROM upload_slots WHERE slot = $1";

    public Task AddAsync(UploadRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return writer.WriteAsync(
            new PostgresStatement(Insert, record.Slot, record.Owner, record.FileName, record.Size, record.ContentType, record.CreatedAt.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public async Task<UploadRecord?> FindAsync(string slot, CancellationToken cancellationToken = default)
    {
        var rows = await reader.ListAsync(new(Select, slot), Row, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> MarkUploadedAsync(string slot, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(new PostgresStatement(MarkUploaded, slot, at.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false) == 1;

    public async Task<long> BytesHeldAsync(string owner, DateTimeOffset pendingSince, CancellationToken cancellationToken = default) =>
        Convert.ToInt64(
            await reader.ScalarAsync(new(SumHeld, owner, pendingSince.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<UploadRecord>> ExpiredAsync(
        DateTimeOffset? uploadedBefore, DateTimeOffset unusedBefore, int max, CancellationToken cancellationToken = default) =>
        await reader.ListAsync(
            new(SelectExpired, uploadedBefore?.ToUnixTimeMilliseconds() ?? long.MinValue, unusedBefore.ToUnixTimeMilliseconds(), (long)max),
            Row,
            cancellationToken).ConfigureAwait(false);

    public Task RemoveAsync(string slot, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(new PostgresStatement(Delete, slot), cancellationToken);

    private static UploadRecord Row(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetInt64(3),
        r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
}
