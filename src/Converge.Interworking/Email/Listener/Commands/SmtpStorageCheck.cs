namespace Converge.Interworking.Email;

/// <summary>Whether a MAIL or RCPT must be refused because the store is full (<see cref="SmtpListener.Space"/>); logs the refusal.</summary>
internal static class SmtpStorageCheck
{
    public static bool Refuses(SmtpSession session, string command)
    {
        if (session.Listener.Space is not { IsFull: true } space)
        {
            return false;
        }

        // One line per hundred refusals: a sender retrying hard must not fill the log of a full disk.
        if (Interlocked.Increment(ref session.Listener.StorageRefusals) % 100 == 1)
        {
            SmtpListenerLog.StorageFull(session.Logger, session.Id, command, space.Reason ?? "no room");
        }

        return true;
    }
}
