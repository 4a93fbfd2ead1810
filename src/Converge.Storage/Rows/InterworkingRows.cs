using System.Data.Common;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite.Stores;

namespace Converge.Storage.Rows;

/// <summary>
/// The interworking tables' columns, in the order both providers select them, and the records read from
/// such a row. The two schemas store the same values the same way (Unix milliseconds, bare JIDs, enums as
/// numbers, the outbox channel as text); only parameters and the delivered flag's type differ, and
/// <see cref="DbDataReader.GetBoolean"/> reads both (SQLite's integer, PostgreSQL's boolean).
/// </summary>
internal static class InterworkingRows
{
    public const string BindingColumns = "pool_number, legacy_address, cpm_user, thread, last_used";

    public const string ActivityColumns = "cpm_user, legacy_address, thread, last_used";

    public const string MessageIdColumns = "message_id, cpm_user, legacy_address, thread, subject";

    public const string EmailThreadColumns = "cpm_user, legacy_address, thread, subject, latest_message_id";

    public const string SessionColumns = "channel, cpm_user, legacy_address, state, thread, expires, legacy_jid";

    public const string PartColumns = "outbox_id, part, parts, reference, message_id, source, destination, notify, delivered, at";

    public const string ReceiptColumns = "message_id, handset, provider_number, state, received_at";

    public static ThreadBinding ReadBinding(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Jid.Parse(r.GetString(2)), r.GetString(3), Time(r, 4));

    public static ConversationActivity ReadActivity(DbDataReader r) =>
        new(Jid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), Time(r, 3));

    public static MessageIdBinding ReadMessageId(DbDataReader r) =>
        new(r.GetString(0), Jid.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), OptionalText(r, 4));

    public static EmailThread ReadEmailThread(DbDataReader r) =>
        new(Jid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4));

    public static InterworkingSessionRecord ReadSession(DbDataReader r) =>
        new(OutboxChannelColumn.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), (InterworkingSessionState)r.GetInt32(3), r.GetString(4),
            r.IsDBNull(5) ? null : Time(r, 5), OptionalText(r, 6));

    public static SmsPartRecord ReadPart(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), OptionalText(r, 4), r.GetString(5), r.GetString(6), OptionalText(r, 7),
            r.GetBoolean(8), Time(r, 9));

    public static UnmatchedReceiptRecord ReadReceipt(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), Time(r, 4));

    private static DateTimeOffset Time(DbDataReader r, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));

    private static string? OptionalText(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
