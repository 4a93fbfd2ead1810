using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>
/// A source number of the provider's pool bound to one (CPM user, thread) for one legacy correspondent:
/// the pair (PoolNumber, LegacyAddress) identifies the conversation when the correspondent replies
/// (the way 3GPP TS 23.204 §6.15 correlates an MSISDN to a chat session).
/// </summary>
public sealed record ThreadBinding(string PoolNumber, string LegacyAddress, Jid CpmUser, string Thread, DateTimeOffset LastUsed);

/// <summary>The latest conversation a CPM user had with a legacy correspondent.</summary>
public sealed record ConversationActivity(Jid CpmUser, string LegacyAddress, string Thread, DateTimeOffset LastUsed);

/// <summary>Where a sent email's Message-ID belongs, so a reply's In-Reply-To/References find the thread.</summary>
public sealed record MessageIdBinding(string MessageId, Jid CpmUser, string LegacyAddress, string Thread, string? Subject);

/// <summary>
/// An email thread of a CPM user with a correspondent: its subject, and the Message-ID of its latest
/// mail either way, which the next mail sent in the thread answers (In-Reply-To, References).
/// </summary>
public sealed record EmailThread(Jid CpmUser, string LegacyAddress, string Thread, string Subject, string LatestMessageId);

/// <summary>The interworking function's thread map (XMPP thread ↔ SMS pool-number bindings ↔ email Message-IDs).</summary>
public interface IThreadMapStore
{
    Task<ThreadBinding?> FindBindingAsync(string poolNumber, string legacyAddress, CancellationToken cancellationToken = default);

    /// <summary>All pool numbers currently bound for this correspondent.</summary>
    Task<IReadOnlyList<ThreadBinding>> BindingsForAsync(string legacyAddress, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many (pool number, correspondent) bindings are stored: the pool numbers in use, which an
    /// operator watches against the pool's size times the correspondents (a gauge on /metrics).
    /// </summary>
    Task<long> CountBindingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the binding of (PoolNumber, LegacyAddress).</summary>
    Task BindAsync(ThreadBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Records that the CPM user and the correspondent just spoke in <paramref name="thread"/>.</summary>
    Task TouchAsync(ConversationActivity activity, CancellationToken cancellationToken = default);

    /// <summary>The most recent conversation of the CPM user with the correspondent, if any.</summary>
    Task<ConversationActivity?> LatestAsync(Jid cpmUser, string legacyAddress, CancellationToken cancellationToken = default);

    /// <summary>The CPM user most recently in conversation with the correspondent (for a reply to a shared number).</summary>
    Task<ConversationActivity?> LatestForCorrespondentAsync(string legacyAddress, CancellationToken cancellationToken = default);

    Task BindMessageIdAsync(MessageIdBinding binding, CancellationToken cancellationToken = default);

    Task<MessageIdBinding?> FindMessageIdAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the email thread of (CpmUser, LegacyAddress, Thread).</summary>
    Task SetEmailThreadAsync(EmailThread emailThread, CancellationToken cancellationToken = default);

    /// <summary>The CPM user's email thread <paramref name="thread"/> with the correspondent, if a mail was sent or received in it.</summary>
    Task<EmailThread?> FindEmailThreadAsync(Jid cpmUser, string legacyAddress, string thread, CancellationToken cancellationToken = default);
}
