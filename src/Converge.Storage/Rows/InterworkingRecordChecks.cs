using Converge.Core.Storage;

namespace Converge.Storage.Rows;

/// <summary>What every provider refuses to store of the interworking records: the columns that are keys or NOT NULL.</summary>
internal static class InterworkingRecordChecks
{
    public static void Check(ThreadBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentException.ThrowIfNullOrEmpty(binding.PoolNumber);
        ArgumentException.ThrowIfNullOrEmpty(binding.LegacyAddress);
        ArgumentNullException.ThrowIfNull(binding.CpmUser);
        ArgumentNullException.ThrowIfNull(binding.Thread);
    }

    public static void Check(ConversationActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(activity.CpmUser);
        ArgumentException.ThrowIfNullOrEmpty(activity.LegacyAddress);
        ArgumentNullException.ThrowIfNull(activity.Thread);
    }

    public static void Check(MessageIdBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentException.ThrowIfNullOrEmpty(binding.MessageId);
        ArgumentNullException.ThrowIfNull(binding.CpmUser);
        ArgumentException.ThrowIfNullOrEmpty(binding.LegacyAddress);
        ArgumentNullException.ThrowIfNull(binding.Thread);
    }

    public static void Check(EmailThread emailThread)
    {
        ArgumentNullException.ThrowIfNull(emailThread);
        ArgumentNullException.ThrowIfNull(emailThread.CpmUser);
        ArgumentException.ThrowIfNullOrEmpty(emailThread.LegacyAddress);
        ArgumentNullException.ThrowIfNull(emailThread.Thread);
        ArgumentNullException.ThrowIfNull(emailThread.Subject);
        ArgumentException.ThrowIfNullOrEmpty(emailThread.LatestMessageId);
    }

    public static void Check(InterworkingSessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.CpmUser);
        ArgumentException.ThrowIfNullOrEmpty(record.LegacyAddress);
        ArgumentNullException.ThrowIfNull(record.Thread);
    }

    public static void Check(UnmatchedReceiptRecord receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentException.ThrowIfNullOrEmpty(receipt.MessageId);
    }
}
