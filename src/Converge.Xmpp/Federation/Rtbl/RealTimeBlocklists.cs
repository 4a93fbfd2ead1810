using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Converge.Core.Addressing;
using Converge.Xmpp.Pep;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Federation.Rtbl;

/// <summary>
/// Real-time blocklists the way Prosody's mod_muc_rtbl and ejabberd's mod_antispam read them: the server
/// subscribes (as its own domain) to a pubsub node on a service, fetches its items, and follows its
/// notifications; each item id is the SHA-256 (lowercase hex) of a bare JID or a domain. Inbound
/// federation stanzas from a listed JID or domain are dropped by <see cref="Routing.Policy.DomainBlocklistPolicy"/>.
/// Only the configured service may change a list, only for its node; each list is bounded.
/// </summary>
internal sealed partial class RealTimeBlocklists(IReadOnlyList<RtblSource> sources, StanzaRouter router, string domain, ILogger logger)
{
    public const int MaxEntriesPerList = 100_000;
    private const string EventNamespace = PepNamespaces.PubSub + "#event";
    private const string IdPrefix = "rtbl-";

    private readonly Jid _server = Jid.Parse(domain);
    private readonly ConcurrentDictionary<RtblSource, ConcurrentDictionary<string, byte>> _lists =
        new(sources.Select(s => KeyValuePair.Create(s, new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))));

    private long _dropped;

    public IReadOnlyList<RtblSource> Sources => sources;

    /// <summary>Inbound stanzas dropped because their sender is listed, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries of one list now.</summary>
    public int Count(RtblSource source) => _lists.TryGetValue(source, out var list) ? list.Count : 0;

    public void Hook(RoutingEvents events)
    {
        if (sources.Count == 0)
        {
            return;
        }

        events.Hook(RoutingEventNames.MessageHost, RoutePriority.Observers, "rtbl: notifications of the subscribed nodes", NotificationAsync);
        events.Hook(RoutingEventNames.IqHost, RoutePriority.Observers, "rtbl: the nodes' items", ItemsAsync);
    }

    /// <summary>True when the bare JID or the domain of <paramref name="from"/> is on a list; counts the drop.</summary>
    public bool Lists(Jid from)
    {
        if (sources.Count == 0)
        {
            return false;
        }

        var bare = Hash(from.Bare.ToString());
        var host = Hash(from.Domain);
        foreach (var list in _lists.Values)
        {
            if (list.ContainsKey(bare) || list.ContainsKey(host))
            {
                Interlocked.Increment(ref _dropped);
                return true;
            }
        }

        return false;
    }

    public static string Hash(string jid) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jid)));

    /// <summary>Subscribes to every node and asks for its items (at start, and again now and then: a subscription can be lost).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            var subscribe = new XmlElement("iq", Streams.Namespaces.Client).SetAttribute("type", "set").SetAttribute("id", $"{IdPrefix}sub-{i}");
            subscribe.AddElement("pubsub", PepNamespaces.PubSub).AddElement("subscribe").SetAttribute("node", source.Node).SetAttribute("jid", domain);
            await SendAsync(subscribe, source, cancellationToken).ConfigureAwait(false);
            var items = new XmlElement("iq", Streams.Namespaces.Client).SetAttribute("type", "get").SetAttribute("id", $"{IdPrefix}items-{i}");
            items.AddElement("pubsub", PepNamespaces.PubSub).AddElement("items").SetAttribute("node", source.Node);
            await SendAsync(items, source, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            while (!cancellationToken.IsCancellationRequested);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ValueTask SendAsync(XmlElement iq, RtblSource source, CancellationToken cancellationToken)
    {
        var to = Jid.Parse(source.Service);
        iq.SetAttribute("from", domain).SetAttribute("to", source.Service);
        return router.RouteAsync(new Stanza(iq, StanzaKind.Iq, _server, to), cancellationToken);
    }

    /// <summary>pubsub#event items (published ids) and retracts from a configured service, for its node.</summary>
    private ValueTask<bool> NotificationAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Peer || routed.Stanza.Element.Element("event", EventNamespace) is not { } ev
            || ev.Element("items", EventNamespace) is not { } items || Source(routed, items.GetAttribute("node")) is not { } source)
        {
            return ValueTask.FromResult(false);
        }

        var list = _lists[source];
        foreach (var item in items.Elements("item", EventNamespace))
        {
            Add(list, source, item.GetAttribute("id"));
        }

        foreach (var retract in items.Elements("retract", EventNamespace))
        {
            if (retract.GetAttribute("id") is { } id)
            {
                list.TryRemove(id.ToLowerInvariant(), out _);
            }
        }

        LogUpdated(logger, source.Service, source.Node, list.Count);
        return ValueTask.FromResult(true);
    }

    /// <summary>The answer to our items request: the whole list, replacing what we held.</summary>
    private ValueTask<bool> ItemsAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (routed.Origin != StanzaOrigin.Peer || stanza.Element.GetAttribute("id") is not { } id || !id.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(false);
        }

        if (stanza.Type == "result" && stanza.Element.Element("pubsub", PepNamespaces.PubSub)?.Element("items", PepNamespaces.PubSub) is { } items
            && Source(routed, items.GetAttribute("node")) is { } source)
        {
            var list = _lists[source];
            list.Clear();
            foreach (var item in items.Elements("item", PepNamespaces.PubSub))
            {
                Add(list, source, item.GetAttribute("id"));
            }

            LogUpdated(logger, source.Service, source.Node, list.Count);
        }
        else if (stanza.Type == "error")
        {
            LogRefused(logger, stanza.From?.ToString() ?? "?", id);
        }

        // Ours either way: a result or error for an rtbl- id is nobody else's.
        return ValueTask.FromResult(stanza.Type is "result" or "error");
    }

    private RtblSource? Source(RoutedStanza routed, string? node) =>
        routed.From is { } from && from.Local is null && from.Resource is null
            ? sources.FirstOrDefault(s => string.Equals(s.Service, from.Domain, StringComparison.OrdinalIgnoreCase) && s.Node == node)
            : null;

    private void Add(ConcurrentDictionary<string, byte> list, RtblSource source, string? id)
    {
        // A SHA-256 in hex: 64 hex digits; anything else is not an entry of this kind of list.
        if (id is not { Length: 64 } || !id.All(Uri.IsHexDigit))
        {
            return;
        }

        if (list.Count >= MaxEntriesPerList)
        {
            LogFull(logger, source.Service, source.Node, MaxEntriesPerList);
            return;
        }

        list.TryAdd(id.ToLowerInvariant(), 0);
    }

    [LoggerMessage(EventId = 4570, Level = LogLevel.Information, Message = "Real-time blocklist {Node} at {Service} now holds {Count} entries")]
    private static partial void LogUpdated(ILogger logger, string service, string node, int count);

    [LoggerMessage(EventId = 4571, Level = LogLevel.Warning, Message = "Real-time blocklist {Node} at {Service} is full ({Max} entries); further entries are ignored")]
    private static partial void LogFull(ILogger logger, string service, string node, int max);

    [LoggerMessage(EventId = 4572, Level = LogLevel.Warning, Message = "Real-time blocklist service {Service} refused request {Id}")]
    private static partial void LogRefused(ILogger logger, string service, string id);
}
