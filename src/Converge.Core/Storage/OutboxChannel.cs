namespace Converge.Core.Storage;

/// <summary>
/// The legacy technology an outbox item leaves through. Each has its own dispatcher and lanes; the
/// outbox stores it as "sms" or "email".
/// </summary>
public enum OutboxChannel
{
    Sms,
    Email,
}
