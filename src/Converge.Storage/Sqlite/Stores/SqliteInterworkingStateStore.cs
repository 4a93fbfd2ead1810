using Converge.Core.Storage;
using Converge.Storage.Rows;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Session invitations and SMS submission progress of the interworking function (schema 14). Times
/// are Unix milliseconds; message ids are stored in the canonical form the caller gives.
/// </summary>
internal sealed class SqliteInterworkingStateStore(SqliteWriter writer, SqliteReaderPool readers) : IInterworkingStateStore
{
    private const string SelectSessions = $"SELECT {InterworkingRows.SessionColumns} FROM interworking_sessions WHERE channel = $channel";

    private const string UpsertSession = $"""
        INSERT INTO interworking_sessions ({InterworkingRows.SessionColumns}) VALUES ($channel, $cpm_user, $legacy_address, $state, $thread, $expires, $legacy_jid)
        ON CONFLICT (channel, cpm_user, legacy_address, state) DO UPDATE SET
            thread = excluded.thread, expires = excluded.expires, legacy_jid = excluded.legacy_jid
        """;

    private const string DeleteSession =
        "DELETE FROM interworking_sessions WHERE channel = $channel AND cpm_user = $cpm_user AND legacy_address = $legacy_address AND state = $state";

    private const string SelectParts = $"SELECT {InterworkingRows.PartColumns} FROM sms_parts WHERE outbox_id = $outbox_id ORDER BY part";

    private const string SelectPartById = $"SELECT {InterworkingRows.PartColumns} FROM sms_parts WHERE message_id = $message_id LIMIT 1";

    private const string UpsertPart = $"""
        INSERT INTO sms_parts ({InterworkingRows.PartColumns}) VALUES ($outbox_id, $part, $parts, $reference, $message_id, $source, $destination, $notify, $delivered, $at)
        ON CONFLICT (outbox_id, part) DO UPDATE SET
            parts = excluded.parts, reference = excluded.reference, message_id = excluded.message_id, source = excluded.source,
            destination = excluded.destination, notify = excluded.notify, delivered = excluded.delivered, at = excluded.at
        """;

    private const string DeleteParts = "DELETE FROM sms_parts WHERE outbox_id = $outbox_id";

    private const string UpsertReceipt = $"""
        INSERT INTO sms_unmatched_receipts ({InterworkingRows.ReceiptColumns}) VALUES ($message_id, $handset, $provider_number, $state, $received_at)
        ON CONFLICT (message_id) DO UPDATE SET
            handset = excluded.handset, provider_number = excluded.provider_number, state = excluded.state, received_at = excluded.received_at
        """;

    private const string SelectReceiptsForPair = $"""
        SELECT {InterworkingRows.ReceiptColumns} FROM sms_unmatched_receipts WHERE handset = $handset AND provider_number = $provider_number
        ORDER BY received_at LIMIT 100
        """;

    private const string SelectReceipt = $"SELECT {InterworkingRows.ReceiptColumns} FROM sms_unmatched_receipts WHERE message_id = $message_id";

    private const string DeleteReceipt = "DELETE FROM sms_unmatched_receipts WHERE message_id = $message_id";

    private const string ExpireParts = "DELETE FROM sms_parts WHERE at < $before";

    private const string ExpireReceipts = "DELETE FROM sms_unmatched_receipts WHERE received_at < $before";

    public Task<IReadOnlyList<InterworkingSessionRecord>> SessionsAsync(OutboxChannel channel, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<string, IReadOnlyList<InterworkingSessionRecord>>(
            static (s, channel) => s.Command(SelectSessions).Bind("$channel", channel).ReadAll(InterworkingRows.ReadSession),
            OutboxChannelColumn.ToText(channel),
            cancellationToken);

    public Task SaveSessionAsync(InterworkingSessionRecord record, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(record);
        return writer.WriteAsync(
            static (s, r) => s.Command(UpsertSession)
                .Bind("$channel", OutboxChannelColumn.ToText(r.Channel))
                .Bind("$cpm_user", r.CpmUser)
                .Bind("$legacy_address", r.LegacyAddress)
                .Bind("$state", (int)r.State)
                .Bind("$thread", r.Thread)
                .Bind("$expires", r.Expires?.ToUnixTimeMilliseconds())
                .Bind("$legacy_jid", r.LegacyJid)
                .ExecuteNonQuery(),
            record,
            cancellationToken);
    }

    public Task RemoveSessionAsync(OutboxChannel channel, string cpmUser, string legacyAddress, InterworkingSessionState state, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(
            static (s, k) => s.Command(DeleteSession)
                .Bind("$channel", k.Channel)
                .Bind("$cpm_user", k.CpmUser)
                .Bind("$legacy_address", k.LegacyAddress)
                .Bind("$state", k.State)
                .ExecuteNonQuery(),
            (Channel: OutboxChannelColumn.ToText(channel), CpmUser: cpmUser, LegacyAddress: legacyAddress, State: (int)state),
            cancellationToken);

    public Task<IReadOnlyList<SmsPartRecord>> PartsAsync(long outboxId, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<long, IReadOnlyList<SmsPartRecord>>(
            static (s, id) => s.Command(SelectParts).Bind("$outbox_id", id).ReadAll(InterworkingRows.ReadPart),
            outboxId,
            cancellationToken);

    public Task SavePartAsync(SmsPartRecord part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        return writer.WriteAsync(
            static (s, p) => s.Command(UpsertPart)
                .Bind("$outbox_id", p.OutboxId)
                .Bind("$part", p.Part)
                .Bind("$parts", p.Parts)
                .Bind("$reference", p.Reference)
                .Bind("$message_id", p.MessageId)
                .Bind("$source", p.Source)
                .Bind("$destination", p.Destination)
                .Bind("$notify", p.Notify)
                .Bind("$delivered", p.Delivered ? 1 : 0)
                .Bind("$at", p.At.ToUnixTimeMilliseconds())
                .ExecuteNonQuery(),
            part,
            cancellationToken);
    }

    public async Task<SmsPartRecord?> FindPartAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var found = await readers.ReadAsync(
            static (s, id) => s.Command(SelectPartById).Bind("$message_id", id).ReadAll(InterworkingRows.ReadPart),
            messageId,
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task RemovePartsAsync(long outboxId, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(static (s, id) => s.Command(DeleteParts).Bind("$outbox_id", id).ExecuteNonQuery(), outboxId, cancellationToken);

    public Task SaveUnmatchedReceiptAsync(UnmatchedReceiptRecord receipt, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(receipt);
        return writer.WriteAsync(
            static (s, r) => s.Command(UpsertReceipt)
                .Bind("$message_id", r.MessageId)
                .Bind("$handset", r.Handset)
                .Bind("$provider_number", r.ProviderNumber)
                .Bind("$state", r.State)
                .Bind("$received_at", r.ReceivedAt.ToUnixTimeMilliseconds())
                .ExecuteNonQuery(),
            receipt,
            cancellationToken);
    }

    public Task<IReadOnlyList<UnmatchedReceiptRecord>> UnmatchedReceiptsAsync(string handset, string providerNumber, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<(string Handset, string ProviderNumber), IReadOnlyList<UnmatchedReceiptRecord>>(
            static (s, k) => s.Command(SelectReceiptsForPair).Bind("$handset", k.Handset).Bind("$provider_number", k.ProviderNumber).ReadAll(InterworkingRows.ReadReceipt),
            (handset, providerNumber),
            cancellationToken);

    public async Task<UnmatchedReceiptRecord?> FindUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default)
    {
        var found = await readers.ReadAsync(
            static (s, id) => s.Command(SelectReceipt).Bind("$message_id", id).ReadAll(InterworkingRows.ReadReceipt),
            messageId,
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task RemoveUnmatchedReceiptAsync(string messageId, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(static (s, id) => s.Command(DeleteReceipt).Bind("$message_id", id).ExecuteNonQuery(), messageId, cancellationToken);

    public Task<int> ExpireSmsTrackingAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(
            static (s, at) => s.Command(ExpireParts).Bind("$before", at).ExecuteNonQuery() + s.Command(ExpireReceipts).Bind("$before", at).ExecuteNonQuery(),
            before.ToUnixTimeMilliseconds(),
            cancellationToken);
}
