using Converge.Core.Roster;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// How a subscription state is spelled in roster_items.state. Fixed names, independent of the
/// C# enum's member names, so renaming a member never strands stored rows.
/// </summary>
internal static class SubscriptionStateColumn
{
    public static string ToText(SubscriptionState state) => state switch
    {
        SubscriptionState.None => "none",
        SubscriptionState.NonePendingOut => "none+out",
        SubscriptionState.NonePendingIn => "none+in",
        SubscriptionState.NonePendingOutIn => "none+out+in",
        SubscriptionState.To => "to",
        SubscriptionState.ToPendingIn => "to+in",
        SubscriptionState.From => "from",
        SubscriptionState.FromPendingOut => "from+out",
        SubscriptionState.Both => "both",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown subscription state"),
    };

    public static SubscriptionState Parse(string text) => text switch
    {
        "none" => SubscriptionState.None,
        "none+out" => SubscriptionState.NonePendingOut,
        "none+in" => SubscriptionState.NonePendingIn,
        "none+out+in" => SubscriptionState.NonePendingOutIn,
        "to" => SubscriptionState.To,
        "to+in" => SubscriptionState.ToPendingIn,
        "from" => SubscriptionState.From,
        "from+out" => SubscriptionState.FromPendingOut,
        "both" => SubscriptionState.Both,
        _ => throw new InvalidDataException($"roster_items.state holds the unknown subscription state '{text}'"),
    };
}
