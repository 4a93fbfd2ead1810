using Converge.Core.Accounts;

namespace Converge.Core.Interworking;

/// <summary>
/// Technology selection (CPM-IOP-003, CPM-IOP-005): given what the server knows of a subscriber,
/// the technology their messages take. Pure rules, so they are tested without sockets.
/// </summary>
public static class TechnologySelector
{
    /// <param name="recipient">The subscriber.</param>
    /// <param name="online">Whether they have an available CPM (XMPP) session.</param>
    /// <param name="offlineFor">How long they have been without one (null: unknown, e.g. never seen since start).</param>
    /// <param name="fallbackAfter">Offline longer than this and the message goes by SMS (Sms.FallbackAfter); null: never for that reason.</param>
    /// <param name="smsAvailable">The SMS interworking is configured.</param>
    /// <param name="emailAvailable">The email interworking is configured.</param>
    public static TechnologyChoice ForSubscriber(Account recipient, bool online, TimeSpan? offlineFor, TimeSpan? fallbackAfter, bool smsAvailable, bool emailAvailable)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (recipient.CpmEnabled && online)
        {
            return new(DeliveryTechnology.Xmpp, null, "CPM user online");
        }

        if (!recipient.CpmEnabled)
        {
            if (recipient.Msisdn is not null && smsAvailable)
            {
                return new(DeliveryTechnology.Sms, recipient.Msisdn, "not a CPM user: SMS to their number");
            }

            if (recipient.Email is not null && emailAvailable)
            {
                return new(DeliveryTechnology.Email, recipient.Email, "not a CPM user: email to their address");
            }

            return new(DeliveryTechnology.XmppOffline, null, "not a CPM user, but no legacy technology reaches them");
        }

        if (recipient.Msisdn is not null && smsAvailable)
        {
            if (!recipient.RoamingCpm)
            {
                return new(DeliveryTechnology.Sms, recipient.Msisdn, "CPM user offline, roaming where CPM is unsupported");
            }

            if (fallbackAfter is { } limit && offlineFor is { } gone && gone > limit)
            {
                return new(DeliveryTechnology.Sms, recipient.Msisdn, $"CPM user offline for more than {limit}");
            }
        }

        return new(DeliveryTechnology.XmppOffline, null, "CPM user offline: kept for their next session");
    }
}
