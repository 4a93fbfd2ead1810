using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Rows;
using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>The interworking thread map: pool-number bindings, latest conversations, email Message-IDs and threads.</summary>
internal sealed class PostgresThreadMapStore(PostgresWriter writer, PostgresReader reader) : IThreadMapStore
{
    private const string SelectBinding = $"SELECT {InterworkingRows.BindingColumns} FROM thread_bindings WHERE pool_number = $1 AND legacy_address = $2";

    private const string SelectBindingsFor = $"SELECT {InterworkingRows.BindingColumns} FROM thread_bindings WHERE legacy_address = $1 ORDER BY pool_number";

    private const string CountBindings = "SELECT count(*) FROM thread_bindings";

    private const string UpsertBinding = $"""
        INSERT INTO thread_bindings ({InterworkingRows.BindingColumns}) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (pool_number, legacy_address) DO UPDATE SET
            cpm_user = excluded.cpm_user, thread = excluded.thread, last_used = excluded.last_used
        """;

    // A touch that arrives late (an older time than the stored one) must not take the latest thread back.
    private const string UpsertActivity = $"""
        INSERT INTO conversation_activity ({InterworkingRows.ActivityColumns}) VALUES ($1, $2, $3, $4)
        ON CONFLICT (cpm_user, legacy_address) DO UPDATE SET thread = excluded.thread, last_used = excluded.last_used
        WHERE excluded.last_used >= conversation_activity.last_used
        """;

    private const string SelectActivity = $"SELECT {InterworkingRows.ActivityColumns} FROM conversation_activity WHERE cpm_user = $1 AND legacy_address = $2";

    private const string SelectLatestForCorrespondent =
        $"SELECT {InterworkingRows.ActivityColumns} FROM conversation_activity WHERE legacy_address = $1 ORDER BY last_used DESC LIMIT 1";

    private const string UpsertMessageId = $"""
        INSERT INTO email_message_ids ({InterworkingRows.MessageIdColumns}) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (message_id) DO UPDATE SET
            cpm_user = excluded.cpm_user, legacy_address = excluded.legacy_address,
            thread = excluded.thread, subject = excluded.subject
        """;

    private const string SelectMessageId =
        $"SELECT {InterworkingRows.MessageIdColumns} FROM email_message_ids WHERE message_id = $1";

    private const string UpsertEmailThread = $"""
        INSERT INTO email_threads ({InterworkingRows.EmailThreadColumns}) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (cpm_user, legacy_address, thread) DO UPDATE SET
            subject = excluded.subject, latest_message_id = excluded.latest_message_id
        """;

    private const string SelectEmailThread =
        $"SELECT {InterworkingRows.EmailThreadColumns} FROM email_threads WHERE cpm_user = $1 AND legacy_address = $2 AND thread = $3";

    public async Task<ThreadBinding?> FindBindingAsync(string poolNumber, string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(poolNumber);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        var found = await reader.ListAsync(new(SelectBinding, poolNumber, legacyAddress), InterworkingRows.ReadBinding, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<ThreadBinding>> BindingsForAsync(string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        return await reader.ListAsync(new(SelectBindingsFor, legacyAddress), InterworkingRows.ReadBinding, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountBindingsAsync(CancellationToken cancellationToken = default) =>
        (long)(await reader.ScalarAsync(new(CountBindings), cancellationToken).ConfigureAwait(false))!;

    public Task BindAsync(ThreadBinding binding, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(binding);
        return writer.WriteAsync(
            new PostgresStatement(UpsertBinding, binding.PoolNumber, binding.LegacyAddress, binding.CpmUser.Bare.ToString(), binding.Thread,
                binding.LastUsed.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public Task TouchAsync(ConversationActivity activity, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(activity);
        return writer.WriteAsync(
            new PostgresStatement(UpsertActivity, activity.CpmUser.Bare.ToString(), activity.LegacyAddress, activity.Thread,
                activity.LastUsed.ToUnixTimeMilliseconds()),
            cancellationToken);
    }

    public async Task<ConversationActivity?> LatestAsync(Jid cpmUser, string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cpmUser);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        var found = await reader.ListAsync(new(SelectActivity, cpmUser.Bare.ToString(), legacyAddress), InterworkingRows.ReadActivity, cancellationToken)
            .ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<ConversationActivity?> LatestForCorrespondentAsync(string legacyAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        var found = await reader.ListAsync(new(SelectLatestForCorrespondent, legacyAddress), InterworkingRows.ReadActivity, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task BindMessageIdAsync(MessageIdBinding binding, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(binding);
        return writer.WriteAsync(
            new PostgresStatement(UpsertMessageId, binding.MessageId, binding.CpmUser.Bare.ToString(), binding.LegacyAddress, binding.Thread,
                binding.Subject),
            cancellationToken);
    }

    public async Task<MessageIdBinding?> FindMessageIdAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var found = await reader.ListAsync(
            new(SelectMessageId, messageId),
            InterworkingRows.ReadMessageId,
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task SetEmailThreadAsync(EmailThread emailThread, CancellationToken cancellationToken = default)
    {
        InterworkingRecordChecks.Check(emailThread);
        return writer.WriteAsync(
            new PostgresStatement(UpsertEmailThread, emailThread.CpmUser.Bare.ToString(), emailThread.LegacyAddress, emailThread.Thread,
                emailThread.Subject, emailThread.LatestMessageId),
            cancellationToken);
    }

    public async Task<EmailThread?> FindEmailThreadAsync(Jid cpmUser, string legacyAddress, string thread, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cpmUser);
        ArgumentException.ThrowIfNullOrEmpty(legacyAddress);
        ArgumentNullException.ThrowIfNull(thread);
        var found = await reader.ListAsync(
            new(SelectEmailThread, cpmUser.Bare.ToString(), legacyAddress, thread),
            InterworkingRows.ReadEmailThread,
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }
}
