using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Rows;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// The interworking function's thread map: pool-number bindings, each CPM user's latest conversation
/// with a correspondent, sent emails' Message-IDs and each email thread's subject and latest mail. CPM users are stored as bare JIDs, so that
/// removing the account finds its rows; times are Unix milliseconds.
/// </summary>
internal sealed class SqliteThreadMapStore(SqliteWriter writer, SqliteReaderPool readers) : IThreadMapStore
{
    private const string SelectBinding =
        $"SELECT {InterworkingRows.BindingColumns} FROM thread_bindings WHERE pool_number = $pool_number AND legacy_address = $legacy_address";

    private const string SelectBindingsFor =
        $"SELECT {InterworkingRows.BindingColumns} FROM thread_bindings WHERE legacy_address = $legacy_address ORDER BY pool_number";

    private const string CountBindings = "SELECT COUNT(*) FROM thread_bindings";

    private const string UpsertBinding = $"""
        INSERT INTO thread_bindings ({InterworkingRows.BindingColumns}) VALUES ($pool_number, $legacy_address, $cpm_user, $thread, $last_used)
        ON CONFLICT (pool_number, legacy_address) DO UPDATE SET
            cpm_user = excluded.cpm_user, thread = excluded.thread, last_used = excluded.last_used
        """;

    // A touch that arrives late (an older time than the stored one) must not take the latest thread back.
    private const string UpsertActivity = $"""
        INSERT INTO conversation_activity ({InterworkingRows.ActivityColumns}) VALUES ($cpm_user, $legacy_address, $thread, $last_used)
        ON CONFLICT (cpm_user, legacy_address) DO UPDATE SET thread = excluded.thread, last_used = excluded.last_used
        WHERE excluded.last_used >= conversation_activity.last_used
        """;

    private const string SelectActivity =
        $"SELECT {InterworkingRows.ActivityColumns} FROM conversation_activity WHERE cpm_user = $cpm_user AND legacy_address = $legacy_address";

    private const string SelectLatestForCorrespondent = $"""
        SELECT {InterworkingRows.ActivityColumns} FROM conversation_activity WHERE legacy_address = $legacy_address
        ORDER BY last_used DESC LIMIT 1
        """;

    private const string UpsertMessageId = $"""
        INSERT INTO email_message_ids ({InterworkingRows.MessageIdColumns})
        VALUES ($message_id, $cpm_user, $legacy_address, $thread, $subject)
        ON CONFLICT (message_id) DO UPDATE SET
            cpm_user = excluded.cpm_user, legacy_address = excluded.legacy_address,
            thread = excluded.thread, subject = excluded.subject
        """;

    private const string SelectMessageId =
        $"SELECT {InterworkingRows.MessageIdColumns} FROM email_message_ids WHERE message_id = $message_id";

    private const string UpsertEmailThread = $"""
        INSERT INTO email_threads ({InterworkingRows.EmailThreadColumns}) VALUES ($cpm_user, $legacy_address, $thread, $subject, $latest_message_id)
        ON CONFLICT (cpm_user, legacy_address, thread) DO UPDATE SET
            subject = excluded.subject, latest_message_id = excluded.latest_message_id
        """;

    private const string SelectEmailThread = $"""
        SELECT {InterworkingRows.EmailThreadColumns} FROM email_threads
        WHERE cpm_user = $cpm_user AND legacy_address = $legacy_address AND thread = $thread
        """;

    public async Task<ThreadBinding?> FindBindingAsync(string poolNumber, string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(poolNumber);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        var found = await readers.ReadAsync(
            static (s, key) => s.Command(SelectBinding)
                .Bind("$pool_number", key.PoolNumber)
                .Bind("$legacy_address", key.LegacyAddress)
                .ReadAll(InterworkingRows.ReadBinding),
            (PoolNumber: poolNumber, LegacyAddress: legacyAddress),
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<ThreadBinding>> BindingsForAsync(string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        return await readers.ReadAsync(
            static (s, legacy) => s.Command(SelectBindingsFor).Bind("$legacy_address", legacy).ReadAll(InterworkingRows.ReadBinding),
            legacyAddress,
            cancellationToken).ConfigureAwait(false);
    }

    public Task<long> CountBindingsAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync(
            static (s, _) => Convert.ToInt64(s.Command(CountBindings).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture),
            0,
            cancellationToken);

    public Task BindAsync(ThreadBinding binding, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(binding);
        return writer.WriteAsync(
            static (s, b) => s.Command(UpsertBinding)
                .Bind("$pool_number", b.PoolNumber)
                .Bind("$legacy_address", b.LegacyAddress)
                .Bind("$cpm_user", b.CpmUser.Bare.ToString())
                .Bind("$thread", b.Thread)
                .Bind("$last_used", b.LastUsed.ToUnixTimeMilliseconds())
                .ExecuteNonQuery(),
            binding,
            cancellationToken);
    }

    public Task TouchAsync(ConversationActivity activity, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(activity);
        return writer.WriteAsync(
            static (s, a) => s.Command(UpsertActivity)
                .Bind("$cpm_user", a.CpmUser.Bare.ToString())
                .Bind("$legacy_address", a.LegacyAddress)
                .Bind("$thread", a.Thread)
                .Bind("$last_used", a.LastUsed.ToUnixTimeMilliseconds())
                .ExecuteNonQuery(),
            activity,
            cancellationToken);
    }

    public Task<ConversationActivity?> LatestAsync(Jid cpmUser, string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cpmUser);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        return readers.ReadAsync(
            static (s, key) => s.Command(SelectActivity)
                .Bind("$cpm_user", key.CpmUser)
                .Bind("$legacy_address", key.LegacyAddress)
                .ReadFirst(InterworkingRows.ReadActivity),
            (CpmUser: cpmUser.Bare.ToString(), LegacyAddress: legacyAddress),
            cancellationToken);
    }

    public Task<ConversationActivity?> LatestForCorrespondentAsync(string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        return readers.ReadAsync(
            static (s, legacy) => s.Command(SelectLatestForCorrespondent).Bind("$legacy_address", legacy).ReadFirst(InterworkingRows.ReadActivity),
            legacyAddress,
            cancellationToken);
    }

    public Task BindMessageIdAsync(MessageIdBinding binding, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(binding);
        return writer.WriteAsync(
            static (s, b) => s.Command(UpsertMessageId)
                .Bind("$message_id", b.MessageId)
                .Bind("$cpm_user", b.CpmUser.Bare.ToString())
                .Bind("$legacy_address", b.LegacyAddress)
                .Bind("$thread", b.Thread)
                .Bind("$subject", b.Subject)
                .ExecuteNonQuery(),
            binding,
            cancellationToken);
    }

    public Task<MessageIdBinding?> FindMessageIdAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return readers.ReadAsync<string, MessageIdBinding?>(
            static (s, id) => s.Command(SelectMessageId).Bind("$message_id", id).ReadFirst(InterworkingRows.ReadMessageId),
            messageId,
            cancellationToken);
    }

    public Task SetEmailThreadAsync(EmailThread emailThread, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(emailThread);
        return writer.WriteAsync(
            static (s, t) => s.Command(UpsertEmailThread)
                .Bind("$cpm_user", t.CpmUser.Bare.ToString())
                .Bind("$legacy_address", t.LegacyAddress)
                .Bind("$thread", t.Thread)
                .Bind("$subject", t.Subject)
                .Bind("$latest_message_id", t.LatestMessageId)
                .ExecuteNonQuery(),
            emailThread,
            cancellationToken);
    }

    public Task<EmailThread?> FindEmailThreadAsync(Jid cpmUser, string legacyAddress, string thread, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cpmUser);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        ArgumentNullException.ThrowIfNull(thread);
        return readers.ReadAsync<(string CpmUser, string LegacyAddress, string Thread), EmailThread?>(
            static (s, key) => s.Command(SelectEmailThread)
                .Bind("$cpm_user", key.CpmUser)
                .Bind("$legacy_address", key.LegacyAddress)
                .Bind("$thread", key.Thread)
                .ReadFirst(InterworkingRows.ReadEmailThread),
            (cpmUser.Bare.ToString(), legacyAddress, thread),
            cancellationToken);
    }
}
