using System.Collections.Concurrent;
using Converge.Cluster.Grains;
using Converge.Cluster.Hosting;
using Converge.Core.Addressing;
using Converge.Xmpp;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing.Cluster;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Converge.Cluster.Sessions;

/// <summary>
/// This node in its cluster. It tells the other nodes about its sessions, keeps theirs in its session
/// table as remote entries (so every module reaches them as it reaches local ones), hands what they
/// send to its local sessions, and follows Orleans' membership: a node the engine declares dead loses
/// its sessions here at once, and their contacts are told they went unavailable.
/// </summary>
internal sealed partial class ClusterNode(
    ClusterNodeSettings settings, IGrainFactory grains, IClusterMembershipService membership, ILogger<ClusterNode> logger)
    : BackgroundService, IClusterSessions
{
    private readonly ConcurrentDictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SettlementBatch> _settlements = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    // Orders what is announced about one session: an announcement built from the session's state is
    // queued before any built later (presence, interests, its end).
    private readonly Lock _announcing = new();
    private ServerContext? _server;
    private long _handovers;

    public string Name => settings.NodeName;

    /// <summary>The other nodes Orleans reports active, by name (what `cluster status` and the tests look at).</summary>
    public IReadOnlyCollection<string> ActiveNodes => _links.Where(l => !l.Value.IsClosed).Select(l => l.Key).ToList();

    private ServerContext Server => _server ?? throw new InvalidOperationException("The XMPP server is not built yet.");

    public void Attach(ServerContext server) => _server = server;

    public void SessionBound(ClientSession session)
    {
        lock (_announcing)
        {
            Announce(SessionUp(session));
        }
    }

    public async ValueTask PresenceChangedAsync(ClientSession session)
    {
        var handed = new List<Task>(_links.Count);
        lock (_announcing)
        {
            var envelope = SessionUp(session);
            foreach (var link in _links.Values)
            {
                if (link.Enqueue(envelope, out var delivered))
                {
                    handed.Add(delivered);
                }
            }
        }

        if (handed.Count > 0)
        {
            try
            {
                await Task.WhenAll(handed).WaitAsync(PresenceHandoverWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A slow node gets it later; presence processing here does not stall for it.
            }
        }
    }

    /// <summary>How long a presence change waits for the other nodes to have it.</summary>
    private static readonly TimeSpan PresenceHandoverWait = TimeSpan.FromSeconds(5);

    public void SessionEnded(ClientSession session)
    {
        lock (_announcing)
        {
            Announce(new ClusterEnvelope(ClusterEnvelopeKind.SessionDown, session.FullJid.ToString(), null, 0));
        }
    }

    public void InterestsChanged(ClientSession session)
    {
        // Under the lock that orders announcements: a session that ended meanwhile (no longer in the
        // table, its SessionDown queued or about to be) is not announced again, or it would come back.
        lock (_announcing)
        {
            if (ReferenceEquals(Server.Sessions.Find(session.FullJid), session))
            {
                Announce(SessionUp(session));
            }
        }
    }

    public void BlockListChanged(Jid owner) =>
        Announce(new ClusterEnvelope(ClusterEnvelopeKind.BlockListChanged, owner.Bare.ToString(), null, 0));

    private static ClusterEnvelope SessionUp(ClientSession session) =>
        new(ClusterEnvelopeKind.SessionUp, session.FullJid.ToString(), session.Presence?.ToString(), session.Priority,
            (session.InterestedInRoster ? SessionInterests.Roster : SessionInterests.None)
            | (session.InterestedInBlockList ? SessionInterests.BlockList : SessionInterests.None));

    private void Announce(ClusterEnvelope envelope)
    {
        foreach (var link in _links.Values)
        {
            link.Enqueue(envelope);
        }
    }

    /// <summary>A batch another node sent (through this node's grain), in the order it was queued there.</summary>
    public async Task ReceiveAsync(string fromNode, ClusterEnvelope[] batch)
    {
        var server = Server;
        LogBatchReceived(logger, batch.Length, fromNode);
        var link = _links.TryGetValue(fromNode, out var known) && !known.IsClosed ? known : OpenLink(fromNode);
        foreach (var item in batch)
        {
            if (item is { Kind: ClusterEnvelopeKind.Settled, Settled: { } settled })
            {
                link.Settled(settled);
                continue;
            }

            if (item.Kind == ClusterEnvelopeKind.BlockListChanged)
            {
                if (Jid.TryParse(item.FullJid, out var owner))
                {
                    server.Blocking.Forget(owner.Bare);
                }

                continue;
            }

            if (!Jid.TryParse(item.FullJid, out var jid) || jid.Resource is null)
            {
                continue;
            }

            switch (item.Kind)
            {
                case ClusterEnvelopeKind.SessionUp:
                    var remote = new ClientSession(jid, 1) { RemoteNode = link };
                    remote.Priority = item.Priority;
                    remote.InterestedInRoster = item.Interests.HasFlag(SessionInterests.Roster);
                    remote.InterestedInBlockList = item.Interests.HasFlag(SessionInterests.BlockList);
                    remote.Presence = item.Xml is null ? null : XmlFragment.Parse(item.Xml, server.Options.Xml);
                    server.Sessions.PutRemote(remote);
                    break;
                case ClusterEnvelopeKind.SessionDown:
                    if (server.Sessions.Find(jid) is { RemoteNode: { } node } gone && node.Name == fromNode)
                    {
                        server.Sessions.Remove(gone);
                    }

                    break;
                case ClusterEnvelopeKind.Stanza when item.Xml is not null:
                    await HandToSessionAsync(jid, item.Xml, item.Handover == 0 ? null : new HandoverReceipt(this, fromNode, item.Handover)).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>
    /// Delivers a stanza another node routed to a session of ours. The session may have ended since that
    /// node looked: a message then goes where RFC 6121 §8.5.3.2 says (another resource, offline storage).
    /// </summary>
    /// <remarks>
    /// A message the sending node keeps comes with its <paramref name="receipt"/>: the session settles
    /// it when the client has it; delivered elsewhere here, it is settled once that is done.
    /// </remarks>
    private async Task HandToSessionAsync(Jid to, string xml, HandoverReceipt? receipt)
    {
        var server = Server;
        if (XmlFragment.Parse(xml, server.Options.Xml) is not { } element || !Stanza.TryGetKind(element, out var kind))
        {
            receipt?.Settle(); // nothing anyone could deliver
            return;
        }

        if (server.Sessions.Find(to) is { IsRemote: false } session && session.Send(element, receipt))
        {
            return;
        }

        await DeliverElsewhereAsync(new Stanza(element, kind, Jid.TryParse(element.GetAttribute("from"), out var from) ? from : null, to)).ConfigureAwait(false);
        receipt?.Settle();
    }

    /// <summary>A node-wide id for each message handed over and kept (<see cref="HandoverLedger"/>).</summary>
    public long NextHandoverId() => Interlocked.Increment(ref _handovers);

    /// <summary>
    /// A message <paramref name="origin"/> handed over is safe here. The ids are gathered for
    /// <see cref="SettleDelay"/> and go back in one envelope, queued behind what this node sends there anyway.
    /// </summary>
    public void Settle(string origin, long handover)
    {
        var batch = _settlements.GetOrAdd(origin, static _ => new SettlementBatch());
        if (batch.Add(handover))
        {
            _ = ReportSettledAsync(origin, batch);
        }
    }

    /// <summary>How long settled ids gather before they are reported (the price of a burst is one report).</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(100);

    private async Task ReportSettledAsync(string origin, SettlementBatch batch)
    {
        try
        {
            await Task.Delay(SettleDelay, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        foreach (var ids in batch.Drain())
        {
            // A node gone meanwhile redelivers what it kept itself; there is nobody to tell.
            if (_links.TryGetValue(origin, out var link))
            {
                link.Enqueue(new ClusterEnvelope(ClusterEnvelopeKind.Settled, "", null, 0, Settled: ids));
            }
        }
    }

    private async Task DeliverElsewhereAsync(Stanza stanza)
    {
        var server = Server;
        switch (stanza.Kind)
        {
            case StanzaKind.Message when stanza.Type is not ("error" or "groupchat" or "headline"):
                await server.Messages.DeliverAsync(stanza, _stopping.Token, withinBound: true).ConfigureAwait(false);
                break;
            case StanzaKind.Iq when stanza.Type is "get" or "set":
                await server.Router.BounceAsync(stanza, "service-unavailable", null, _stopping.Token).ConfigureAwait(false);
                break;
        }
    }

    private NodeLink OpenLink(string name)
    {
        var link = new NodeLink(this, name, grains);
        if (_links.TryGetValue(name, out var existing) && !existing.IsClosed)
        {
            return existing;
        }

        _links[name] = link;
        _ = RunPumpAsync(link);
        return link;
    }

    private async Task RunPumpAsync(NodeLink link)
    {
        try
        {
            await link.PumpAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogPumpFailed(logger, link.Name, e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var _ = stoppingToken.Register(_stopping.Cancel);
        var reports = new NodeReports(settings, logger);
        var reporting = reports.RunAsync(() => _server?.Sessions.Count ?? 0, stoppingToken);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                await FollowAsync(snapshot).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await reporting.ConfigureAwait(false);
    }

    /// <summary>Opens a link to every node that became active, and drops every node that is active no more.</summary>
    private async Task FollowAsync(ClusterMembershipSnapshot snapshot)
    {
        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && m.Name != Name)
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var name in active)
        {
            if (!_links.TryGetValue(name, out var link) || link.IsClosed)
            {
                link = OpenLink(name);
            }

            if (link.Introduced)
            {
                continue;
            }

            LogNodeJoined(logger, name);
            link.Introduced = true;

            // The newcomer learns every session of ours; it does the same for us.
            if (_server is { } server)
            {
                foreach (var session in server.Sessions.All())
                {
                    link.Enqueue(SessionUp(session));
                }
            }
        }

        foreach (var (name, link) in _links)
        {
            if (!active.Contains(name) && !link.IsClosed)
            {
                var reporter = !active.Any(n => string.CompareOrdinal(n, Name) < 0);
                await DropNodeAsync(link, link.Close(), reporter).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The pump to a node gave up: treat it as gone for us until it announces itself again.</summary>
    public async Task NodeUnreachableAsync(NodeLink link, ClusterEnvelope[] undelivered)
    {
        LogNodeUnreachable(logger, link.Name, undelivered.Length);

        // Kept messages of the failed batch are in the ledger, which Close hands back with the rest.
        await DropNodeAsync(link, [.. undelivered.Where(e => e.Handover == 0), .. link.Close()], reporter: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Forgets a node's sessions at once; messages still queued for it go to another resource or offline
    /// storage. One node only (the first active one by name) tells the contacts that the sessions went
    /// unavailable, so they hear it once.
    /// </summary>
    private async Task DropNodeAsync(NodeLink link, List<ClusterEnvelope> undelivered, bool reporter)
    {
        if (_server is not { } server)
        {
            return;
        }

        _links.TryRemove(new KeyValuePair<string, NodeLink>(link.Name, link));
        var sessions = server.Sessions.RemoteSessionsOf(link.Name).Where(s => ReferenceEquals(s.RemoteNode, link)).ToList();
        foreach (var session in sessions)
        {
            server.Sessions.Remove(session);
        }

        LogNodeDropped(logger, link.Name, sessions.Count, undelivered.Count);
        foreach (var item in undelivered)
        {
            if (item.Kind == ClusterEnvelopeKind.Stanza && item.Xml is not null && Jid.TryParse(item.FullJid, out var to)
                && XmlFragment.Parse(item.Xml, server.Options.Xml) is { } element && Stanza.TryGetKind(element, out var kind))
            {
                Jid.TryParse(element.GetAttribute("from"), out var from);
                await DeliverElsewhereAsync(new Stanza(element, kind, from, to)).ConfigureAwait(false);
            }
        }

        // Logged once they are all on their way (queued to another node, or stored offline).
        var redelivered = undelivered.Count(e => e.Handover != 0);
        if (redelivered > 0)
        {
            LogHandedOverRedelivered(logger, link.Name, redelivered);
        }

        if (!reporter)
        {
            return;
        }

        foreach (var session in sessions.Where(s => s.IsAvailable))
        {
            await server.Presence.SessionEndedAsync(session, _stopping.Token).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    internal void LogDeliveryFailed(string node, int attempt, Exception exception) => LogCallFailed(logger, node, attempt, exception);

    internal void LogLedgerFull(string node) => LogKeptFull(logger, node, HandoverLedger.MaxKept);

    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Cluster node {Node} is gone: {Messages} messages handed over to it and not settled there were redelivered (another resource or offline storage)")]
    private static partial void LogHandedOverRedelivered(ILogger logger, string node, int messages);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Cluster node {Node} has not settled {Kept} handed-over messages; further ones are handed over unkept")]
    private static partial void LogKeptFull(ILogger logger, string node, int kept);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Cluster node {Node} is active; sessions are exchanged with it")]
    private static partial void LogNodeJoined(ILogger logger, string node);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Cluster node {Node} is gone: {Sessions} of its sessions dropped, {Undelivered} queued items delivered elsewhere")]
    private static partial void LogNodeDropped(ILogger logger, string node, int sessions, int undelivered);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Cluster node {Node} did not take a batch (attempt {Attempt})")]
    private static partial void LogCallFailed(ILogger logger, string node, int attempt, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Cluster node {Node} is unreachable; {Items} items delivered elsewhere")]
    private static partial void LogNodeUnreachable(ILogger logger, string node, int items);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "{Items} items from cluster node {Node}")]
    private static partial void LogBatchReceived(ILogger logger, int items, string node);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "The link to cluster node {Node} failed")]
    private static partial void LogPumpFailed(ILogger logger, string node, Exception exception);
}
