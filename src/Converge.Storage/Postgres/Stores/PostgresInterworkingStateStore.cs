using Converge.Core.Storage;
using Converge.Storage.Rows;
using Converge.Storage.Sqlite.Stores;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Session invitations and SMS submission progress of the interworking function (schema 5).</summary>
internal sealed class PostgresInterworkingStateStore(PostgresWriter writer, PostgresReader reader) : IInterworkingStateStore
{
    private const string SelectSessions = $"SELECT {InterworkingRows.SessionColumns} FROM interworking_sessions WHERE channel = $1";

    private const string UpsertSession = $"""
        INSERT INTO interworking_sessions ({InterworkingRows.SessionColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (channel, cpm_user, legacy_address, state) DO UPDATE SET
            thread = excluded.thread, expires = excluded.expires, legacy_jid = excluded.legacy_jid
        """;

    private const string DeleteSession =
        "DELETE FROM interworking_sessions WHERE channel = $1 AND cpm_user = $2 AND legacy_address = $3 AND state = $4";

    private const string SelectParts = $"SELECT {InterworkingRows.PartColumns} FROM sms_parts WHERE outbox_id = $1 ORDER BY part";

    private const string SelectPartById = $"SELECT {InterworkingRows.PartColumns} FROM sms_parts WHERE message_id = $1 LIMIT 1";

    private const string UpsertPart = $"""
        INSERT INTO sms_parts ({InterworkingRows.PartColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (outbox_id, part) DO UPDATE SET
            parts = excluded.parts, reference = excluded.reference, message_id = excluded.message_id, source = excluded.source,
            destination = excluded.destination, notify = excluded.notify, delivered = excluded.delivered, at = excluded.at
        """;

    private const string DeleteParts = "DELETE FROM sms_parts WHERE outbox_id = $1";

    private const string UpsertReceipt = $"""
        INSERT INTO sms_unmatched_receipts ({InterworkingRows.ReceiptColumns}) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (message_id) DO UPDATE SET
            handset = excluded.handset, provider_number = excluded.provider_number, state = excluded.state, received_at = excluded.received_at
        """;

    private const string SelectReceiptsForPair =
        $"SELECT {InterworkingRows.ReceiptColumns} FROM sms_unmatched_receipts WHERE handset = $1 AND provider_number = $2 ORDER BY received_at LIMIT 100";

    private const string SelectReceipt = $"SELECT {InterworkingRows.ReceiptColumns} FROM sms_unmatched_receipts WHERE message_id = $1";

    private const string DeleteReceipt = "DELETE FROM sms_unmatched_receipts WHERE message_id = $1";

    public async Task<IReadOnlyList<InterworkingSessionRecord>> SessionsAsync(OutboxChannel channel, CancellationToken cancellationToken = default) =>
        await reader.ListAsync(
            new(SelectSessions, OutboxChannelColumn.ToText(channel)),
            InterworkingRows.ReadSession,
            cancellationToken).ConfigureAwait(false);

    public Task SaveSessionAsync(InterworkingSessionRecord record, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(record);
        return writer.WriteAsync(
            new PostgresStatement(UpsertSession, OutboxChannelColumn.ToText(record.Channel), record.CpmUser, record.LegacyAddress, (int)record.State,
                record.Thread, record.Expires?.ToUnixTimeMilliseconds(), record.LegacyJid),
            cancellationToken);
    }

    public Task RemoveSessionAsync(OutboxChannel channel, string cpmUser, string legacyAddress, InterworkingSessionState state, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(new PostgresStatement(DeleteSession, OutboxChannelColumn.ToText(channel), cpmUser, legacyAddress, (int)state), cancellationToken);

    public async Task<IReadOnlyList<SmsPartRecord>> PartsAsync(long outboxId, CancellationToken cancellationToken = default) =>
        await reader.ListAsync(new(SelectParts, outboxId), InterworkingRows.ReadPart, cancellationToken).ConfigureAwait(false);

    public Task SavePartAsync(SmsPartRecord part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        return writer.WriteAsync(
            new PostgresStatement(UpsertPart, part.OutboxId, part.Part, part.Parts, part.Reference, part.MessageId, part.Source, part.Destination,
                part.Notify, part.Delivered, part.At.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public async Task<SmsPartRecord?> FindPartAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var found = await reader.ListAsync(new(SelectPartById, messageId), InterworkingRows.ReadPart, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task RemovePartsAsync(long outboxId, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(new PostgresStatement(DeleteParts, outboxId), cancellationToken);

    public Task SaveUnmatchedReceiptAsync(UnmatchedReceiptRecord receipt, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(receipt);
        return writer.WriteAsync(
            new PostgresStatement(UpsertReceipt, receipt.MessageId, receipt.Handset, receipt.ProviderNumber, receipt.State, receipt.ReceivedAt.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public async Task<IReadOnlyList<UnmatchedReceiptRecord>> UnmatchedReceiptsAsync(string handset, string providerNumber, CancellationToken cancellationToken = default) =>
        await reader.ListAsync(new(SelectReceiptsForPair, handset, providerNumber), InterworkingRows.ReadReceipt, cancellationToken).ConfigureAwait(false);

    public async Task<UnmatchedReceiptRecord?> FindUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default)
    {
        var found = await reader.ListAsync(new(SelectReceipt, messageId), InterworkingRows.ReadReceipt, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task RemoveUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(new PostgresStatement(DeleteReceipt, messageId), cancellationToken);

    public Task<int> ExpireSmsTrackingAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var at = before.ToUnixTimeMilliseconds();
        return writer.WriteAsync(
            [new PostgresStatement("DELETE FROM sms_parts WHERE at < $1", at), new PostgresStatement("DELETE FROM sms_unmatched_receipts WHERE received_at < $1", at)],
            static r => r[0].RecordsAffected + r[1].RecordsAffected,
            cancellationToken);
    }
}
