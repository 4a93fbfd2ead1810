using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>The words the outbox's channel column has always held, in every provider ("sms", "email").</summary>
internal static class OutboxChannelColumn
{
    public static string ToText(OutboxChannel channel) => channel switch
    {
        OutboxChannel.Sms => "sms",
        OutboxChannel.Email => "email",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    public static OutboxChannel Parse(string stored) => stored switch
    {
        "sms" => OutboxChannel.Sms,
        "email" => OutboxChannel.Email,
        _ => throw new InvalidDataException($"outbox channel '{stored}' is neither 'sms' nor 'email'"),
    };
}
