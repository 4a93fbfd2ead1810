using System.Collections.Concurrent;
using Converge.Core.Interworking;
using Converge.Xmpp.Routing.Routes;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// What an SMS may cost the provider, checked after who may send one: the destination must be one
/// the operator allows (home country, Sms.DestinationPrefixes), and each sender has a daily count
/// (Sms.MaxPerSenderPerDay, per UTC day). The sender gets an error naming the rule.
/// The daily counts are kept in memory: a restart starts the day's counts afresh.
/// </summary>
internal sealed partial class SmsAbusePolicy(SmsDestinationPolicy destinations, int maxPerSenderPerDay, StanzaRouter router, ILogger logger)
{
    private readonly ConcurrentDictionary<string, DailyCount> _sent = new(StringComparer.Ordinal);

    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.RouteLegacy, RoutePriority.SmsLimits, "interworking: SMS destinations and daily limits", CheckAsync);

    private async ValueTask<bool> CheckAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Channel != LegacyChannel.Sms || routed.LegacyAddress is not { } number || !LegacyRoute.Takes(routed.Stanza))
        {
            return false;
        }

        var sender = routed.Stanza.From!.Bare.ToString();
        var decision = destinations.Check(number);
        if (!decision.Allowed)
        {
            LogDestinationRefused(logger, sender, number, decision.Rule);
            await router.RefuseAsync(routed, "not-allowed", $"SMS to {number} is not allowed by this provider ({decision.Rule}).", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (maxPerSenderPerDay > 0 && !TryCount(sender))
        {
            LogDailyLimit(logger, sender, maxPerSenderPerDay);
            await router.RefuseAsync(routed, "resource-constraint", $"The daily SMS limit of {maxPerSenderPerDay} messages is reached (Sms.MaxPerSenderPerDay); it resets at midnight UTC.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private bool TryCount(string sender)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var count = _sent.GetOrAdd(sender, static _ => new DailyCount());
        lock (count)
        {
            if (count.Day != today)
            {
                (count.Day, count.Sent) = (today, 0);
            }

            if (count.Sent >= maxPerSenderPerDay)
            {
                return false;
            }

            count.Sent++;
            return true;
        }
    }

    private sealed class DailyCount
    {
        public DateOnly Day;
        public int Sent;
    }

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Refused an SMS from {Sender} to {Number}: {Rule}")]
    private static partial void LogDestinationRefused(ILogger logger, string sender, string number, string rule);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Refused an SMS from {Sender}: {Limit} sent today (Sms.MaxPerSenderPerDay)")]
    private static partial void LogDailyLimit(ILogger logger, string sender, int limit);
}
