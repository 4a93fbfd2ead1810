namespace Converge.Xmpp.Routing;

/// <summary>A handler of a routing event: true when it handled the stanza, which ends the chain.</summary>
internal delegate ValueTask<bool> StanzaHandler(RoutedStanza stanza, CancellationToken cancellationToken);

/// <summary>
/// Routing events and their handlers in priority order (Prosody's util/events with priorities).
/// Handlers are hooked while the server is set up; the table is copied on each change, so firing
/// an event reads an immutable array without a lock.
/// </summary>
internal sealed class RoutingEvents
{
    private readonly Lock _gate = new();
    private volatile Dictionary<string, RoutingHook[]> _hooks = new(StringComparer.Ordinal);

    /// <summary>Hooks <paramref name="handler"/> on <paramref name="eventName"/>; among equal priorities the first hooked runs first.</summary>
    public void Hook(string eventName, int priority, string name, StanzaHandler handler)
    {
        lock (_gate)
        {
            var copy = new Dictionary<string, RoutingHook[]>(_hooks, StringComparer.Ordinal);
            var hooks = copy.TryGetValue(eventName, out var old) ? old : [];
            var hook = new RoutingHook(priority, name, handler);
            var at = 0;
            while (at < hooks.Length && hooks[at].Priority >= priority)
            {
                at++;
            }

            copy[eventName] = [.. hooks[..at], hook, .. hooks[at..]];
            _hooks = copy;
        }
    }

    /// <summary>Hooks the same handler on several events.</summary>
    public void Hook(IEnumerable<string> eventNames, int priority, string name, StanzaHandler handler)
    {
        foreach (var eventName in eventNames)
        {
            Hook(eventName, priority, name, handler);
        }
    }

    /// <summary>Runs the event's handlers from the highest priority down until one handles the stanza.</summary>
    public ValueTask<bool> FireAsync(string eventName, RoutedStanza stanza, CancellationToken cancellationToken)
    {
        if (!_hooks.TryGetValue(eventName, out var hooks))
        {
            return ValueTask.FromResult(false);
        }

        for (var i = 0; i < hooks.Length; i++)
        {
            var pending = hooks[i].Handler(stanza, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return ContinueAsync(pending, hooks, i, stanza, cancellationToken);
            }

            if (pending.Result)
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    // The slow path, taken only when a handler really waits (storage, a link): no state machine otherwise.
    private static async ValueTask<bool> ContinueAsync(ValueTask<bool> pending, RoutingHook[] hooks, int at, RoutedStanza stanza, CancellationToken cancellationToken)
    {
        if (await pending.ConfigureAwait(false))
        {
            return true;
        }

        for (var i = at + 1; i < hooks.Length; i++)
        {
            if (await hooks[i].Handler(stanza, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every event and its handlers in the order they run, for `converge routes` and the docs.</summary>
    public IReadOnlyList<(string Event, IReadOnlyList<RoutingHook> Hooks)> Table() =>
        [.. _hooks.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, (IReadOnlyList<RoutingHook>)e.Value))];
}

/// <summary>One handler on one event.</summary>
internal sealed record RoutingHook(int Priority, string Name, StanzaHandler Handler);

/// <summary>One line of the routing table: an event, a handler's priority and what it does.</summary>
public sealed record RouteTableEntry(string Event, int Priority, string Handler);
