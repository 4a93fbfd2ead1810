using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Client;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Im;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Routing.Delivery;
using Converge.Xmpp.Routing.Policy;
using Converge.Xmpp.Routing.Routes;
using Converge.Xmpp.Routing.Services;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp;

/// <summary>
/// What every part of the running server shares: configuration, stores, the account directory,
/// the session table, the router and the modules hooked into it. Built once by <see cref="Server.XmppServer"/>.
/// </summary>
internal sealed partial class ServerContext
{
    public ServerContext(Server.XmppServerOptions options, IStores stores, ILoggerFactory loggerFactory)
    {
        Options = options;
        Domain = Jid.Parse(options.Domain).Domain;
        DomainJid = Jid.Parse(Domain);
        SearchDomain = "search." + Domain;
        Stores = stores;
        ChannelBinding = options.OfferChannelBinding && Sasl.ChannelBindings.TryTlsServerEndPoint(options.Certificate, out var endPoint)
            ? new Sasl.ChannelBinding(Sasl.ChannelBinding.TlsServerEndPoint, endPoint)
            : null;
        Logger = loggerFactory.CreateLogger("Converge.Xmpp");
        Accounts = new Server.AccountDirectory(stores.Accounts, loggerFactory.CreateLogger("Converge.Accounts"));
        Sessions = new SessionRegistry(options.Cluster);
        _agreements = options.Agreements;
        Router = new StanzaRouter(Events, new DestinationResolver(Accounts, () => Agreements, Domain, Services), Sessions, Domain, Logger);
        Carbons = new CarbonsModule(Sessions);
        Messages = new MessageModule(Sessions, stores.Offline, Router, Domain, options.Client, options.Xml, Logger);
        SpamReports = new SpamReporting(stores.SpamReports, loggerFactory.CreateLogger("Converge.Abuse"));
        Blocking = new BlockingModule(stores.BlockLists, stores.Rosters, Accounts, Sessions, Router, Domain, SpamReports);
        RosterPushes = new RosterPusher(Sessions);
        Presence = new PresenceModule(stores.Rosters, Sessions, Accounts, Blocking, RosterPushes, Messages, Router, Domain);
        ArchiveQuota = options.ArchiveQuotaBytesPerUser > 0
            ? new ArchiveQuota(stores.Archive, options.ArchiveQuotaBytesPerUser, loggerFactory.CreateLogger("Converge.Archive"))
            : null;
        Archive = new ArchiveModule(stores.Archive, stores.Rosters, Accounts, options.Xml, ArchiveQuota);
        NumberAliases = new Federation.NumberAliases(stores.NumberAliases);
        AuthThrottle = new Server.AuthThrottle(options.Client.AuthFailuresBeforeDelay);
        UnauthenticatedClients = new Transport.AddressConnectionLimit(options.Client.MaxUnauthenticatedPerAddress);
        DomainBlocks = new Federation.DomainBlocklist(stores.DomainBlocks, loggerFactory.CreateLogger("Converge.Abuse"));
        Rtbl = new Federation.Rtbl.RealTimeBlocklists(options.Rtbl, Router, Domain, loggerFactory.CreateLogger("Converge.Abuse"));
        DomainBlocking = new DomainBlocklistPolicy(DomainBlocks, Rtbl, Router, loggerFactory.CreateLogger("Converge.Abuse"));
        SenderRates = new SenderRatePolicy(() => Agreements, options.Client, Router, Logger);
        Refusals = new Federation.AgreementRefusals(peer => Agreements.Find(peer) is not null);
        RemoteRoute = new RemoteRoute(Router);
        LegacyRoute = new LegacyRoute(Interworked, Router, Logger);
        LegacyDoor = new LegacyDoor(Accounts, Router, Domain, Logger);
        IqDispatch = new IqDispatch(Iq, Sessions, Router, Logger);
        Caps = new Xmpp.Pep.EntityCapabilities(options.Pep);
        Pep = new Xmpp.Pep.PepService(stores.Pep, stores.Rosters, Sessions, Caps, Router, () => Agreements, options.Pep, options.Xml, Domain, loggerFactory.CreateLogger("Converge.Pep"));
        Services.Register(new IqPayloadService(SearchDomain, "User directory", IqTarget.Search, IqDispatch));
        if (options.GroupChat.Enabled)
        {
            GroupChat = new GroupChat.GroupChatService(
                options.GroupChat.Domain ?? "conference." + Domain, Domain, options.GroupChat, stores.Rooms,
                new GroupChat.RoomArchive(stores.Archive, options.Xml), Router, loggerFactory.CreateLogger("Converge.GroupChat"));
            Services.Register(GroupChat);
        }

        foreach (var component in options.Components)
        {
            var route = new Components.ComponentRoute(component);
            Services.Register(route);
            ComponentRoutes[component.Domain] = route;
        }

        if (options.Push.Enabled)
        {
            PushRegistrations = new Xmpp.Push.PushRegistrations(stores.Push);
            PushNotifier = new Xmpp.Push.PushNotifier(PushRegistrations, Sessions, Router, options.Push, options.Xml, loggerFactory.CreateLogger("Converge.Push"));
        }

        GroupChatTraffic = new GroupChat.GroupChatTraffic(GroupChat?.Domain, new GroupChat.RemoteRooms());
        if (options.Upload is { } upload)
        {
            Uploads = new Upload.UploadArea(upload, stores.Uploads, TimeProvider.System, loggerFactory.CreateLogger("Converge.Upload"));
            Services.Register(new Upload.UploadService(Uploads, Router));
        }

        HookRouting();

        new RosterModule(stores.Rosters, Presence, RosterPushes).Register(Iq);
        new DiscoModule(Iq, options, Services).Register(Iq);
        var vcards = new VCardModule(stores.VCards, options.Xml);
        vcards.Register(Iq);

        // After disco: PEP answers disco#items of an account with its nodes.
        new Xmpp.Pep.PubSubIqHandler(Pep).Register(Iq);
        new Xmpp.Pep.PrivateXmlModule(stores.PrivateXml, Pep, options.Xml).Register(Iq);
        new Xmpp.Pep.AvatarConversion(Pep, stores.VCards, options.Xml, loggerFactory.CreateLogger("Converge.Pep")).Attach(vcards);
        Iq.AddFeature(IqTarget.Account, Xmpp.Pep.PepNamespaces.VCardConversion);
        if (PushRegistrations is not null)
        {
            new Xmpp.Push.PushModule(PushRegistrations, options.Push, loggerFactory.CreateLogger("Converge.Push")).Register(Iq);
        }

        if (options.ExternalServices.Services.Count > 0)
        {
            new Xmpp.ExternalServices.ExternalServiceDiscovery(options.ExternalServices, TimeProvider.System).Register(Iq);
        }

        Blocking.Register(Iq);
        Archive.Register(Iq);
        Carbons.Register(Iq);
        new SearchModule(Accounts).Register(Iq);
        PingModule.Register(Iq);
        SessionModule.Register(Iq);
        VersionModule.Register(Iq);
        options.Cluster.Attach(this);
    }

    /// <summary>
    /// The routing step's handlers, each at its fixed priority (<see cref="RoutePriority"/>): policy,
    /// then delivery, then the routes out. `converge routes` prints the resulting table.
    /// </summary>
    private void HookRouting()
    {
        new Routing.Metering.RoutingMeter().Hook(Events);
        new StorageSpacePolicy(Stores.Space, Router, Logger).Hook(Events);
        DomainBlocking.Hook(Events);
        Rtbl.Hook(Events);
        new BlockingPolicy(Blocking, Router).Hook(Events);
        new InterconnectionPolicy(() => Agreements, Accounts, Refusals, Router, Domain, Logger, GroupChatTraffic).Hook(Events);
        SenderRates.Hook(Events);
        new GatewayAccessPolicy(() => Agreements, Refusals, InterworkingLimits, Router, Logger).Hook(Events);
        new SmsAbusePolicy(Options.SmsDestinations, Options.SmsMaxPerSenderPerDay, Router, Logger).Hook(Events);
        new NumberResolutionPolicy(NumberAliases, Domain).Hook(Events);
        new SentCopies(Archive, Carbons).Hook(Events);
        new TechnologySelection(LegacyRoute, Sessions, LastSeen, Options.SmsFallbackAfter, Router).Hook(Events);
        new MessageDelivery(Archive, Messages, Carbons).Hook(Events);
        new Xmpp.Pep.CapsWatcher(Caps, Pep, Router, Domain, Options.Pep, Logger).Hook(Events);
        PushNotifier?.Hook(Events);
        new PresenceDelivery(Presence).Hook(Events);
        IqDispatch.Hook(Events);
        new ServiceDispatch().Hook(Events);
        RemoteRoute.Hook(Events);
        LegacyRoute.Hook(Events);
    }

    public Server.XmppServerOptions Options { get; }

    /// <summary>Cancelled when the server stops.</summary>
    public CancellationToken ShutdownToken { get; set; }

    /// <summary>tls-server-end-point channel binding of the server certificate (RFC 5929); the same for every connection.</summary>
    public Sasl.ChannelBinding? ChannelBinding { get; }

    /// <summary>The served domain, case-folded.</summary>
    public string Domain { get; }

    public Jid DomainJid { get; }

    /// <summary>The user directory's address (XEP-0055).</summary>
    public string SearchDomain { get; }

    public IStores Stores { get; }

    public ILogger Logger { get; }

    public Server.AccountDirectory Accounts { get; }

    public SessionRegistry Sessions { get; }

    public RoutingEvents Events { get; } = new();

    public StanzaRouter Router { get; }

    /// <summary>IQ payload handlers, by target and payload (the iq-get/iq-set events).</summary>
    public IqHandlerTable Iq { get; } = new();

    public IqDispatch IqDispatch { get; }

    /// <summary>Delivered but not yet stored, all sessions together: bounds how far delivery runs ahead of the store.</summary>
    public PendingWriteBudget PendingWrites { get; } = new(PendingWriteBudget.DefaultLimit);

    /// <summary>The service domains we host (search.&lt;domain&gt; and what the modules add), each routed to its service.</summary>
    public LocalServices Services { get; } = new();

    public RemoteRoute RemoteRoute { get; }

    /// <summary>Group chat on conference.&lt;domain&gt; (XEP-0045); null when GroupChat.Enabled is false.</summary>
    public GroupChat.GroupChatService? GroupChat { get; }

    /// <summary>Tells the agreement which stanzas are group chat (our rooms, and remote rooms our users joined).</summary>
    public GroupChat.GroupChatTraffic GroupChatTraffic { get; }
    /// <summary>HTTP File Upload's files and slots; null when the host serves no upload (no HTTP listener).</summary>
    public Upload.UploadArea? Uploads { get; }

    public LegacyRoute LegacyRoute { get; }

    public LegacyDoor LegacyDoor { get; }

    public PeerInterworkingLimits InterworkingLimits { get; } = new();

    /// <summary>Per-sender message and subscription rates (local users and peers' users), with their refusal counts.</summary>
    public SenderRatePolicy SenderRates { get; }

    public PresenceModule Presence { get; }

    /// <summary>Entity capabilities (XEP-0115) of available resources, local and at peers.</summary>
    public Xmpp.Pep.EntityCapabilities Caps { get; }

    /// <summary>Every account's PEP service (XEP-0163).</summary>
    public Xmpp.Pep.PepService Pep { get; }

    /// <summary>The configured external components' domains (XEP-0114), each routed down its component's stream.</summary>
    public Dictionary<string, Components.ComponentRoute> ComponentRoutes { get; } = new(StringComparer.Ordinal);

    /// <summary>Push registrations (XEP-0357); null when Push.Enabled is false.</summary>
    public Xmpp.Push.PushRegistrations? PushRegistrations { get; }

    /// <summary>Sends push notifications for clients that are away; null when Push.Enabled is false.</summary>
    public Xmpp.Push.PushNotifier? PushNotifier { get; }

    public MessageModule Messages { get; }

    public BlockingModule Blocking { get; }

    /// <summary>The server-wide domain blocklist (converge block domain), read from storage.</summary>
    public Federation.DomainBlocklist DomainBlocks { get; }

    /// <summary>Real-time blocklists (Federation.Rtbl) followed over federation.</summary>
    public Federation.Rtbl.RealTimeBlocklists Rtbl { get; }

    /// <summary>The blocklist's routing step, with its counts.</summary>
    public DomainBlocklistPolicy DomainBlocking { get; }

    /// <summary>XEP-0377 reports carried by block requests.</summary>
    public SpamReporting SpamReports { get; }

    public RosterPusher RosterPushes { get; }

    public ArchiveModule Archive { get; }

    /// <summary>Archive.QuotaBytesPerUser; null when there is no quota.</summary>
    public ArchiveQuota? ArchiveQuota { get; }

    public Federation.NumberAliases NumberAliases { get; }

    public Federation.AgreementRefusals Refusals { get; }

    public Server.LastSeen LastSeen { get; } = new();

    public Server.InterworkingCounters Interworked { get; } = new();

    private volatile Core.Federation.AgreementBook _agreements = Core.Federation.AgreementBook.Empty;

    /// <summary>The interconnection agreements in force; replaced whole on reload.</summary>
    public Core.Federation.AgreementBook Agreements
    {
        get => _agreements;
        set => _agreements = value;
    }

    public CarbonsModule Carbons { get; }

    public Server.AuthThrottle AuthThrottle { get; }

    /// <summary>
    /// Client connections not yet authenticated, per address (Limits.Client.MaxUnauthenticatedPerAddress).
    /// Every client door shares it - TCP, direct TLS and WebSocket: take a lease on accept, dispose of it
    /// on authentication and on close.
    /// </summary>
    public Transport.AddressConnectionLimit UnauthenticatedClients { get; }

    /// <summary>Sessions that may be resumed (XEP-0198), by resumption id.</summary>
    public ConcurrentDictionary<string, ClientSession> Resumable { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Ends a session for good, exactly once: it leaves the session table, its contacts see it go
    /// offline, the client is told why (when still connected), and every stanza it never received
    /// for sure is delivered again as if the resource had never existed - to another resource or to
    /// offline storage (XEP-0198 §4).
    /// </summary>
    public async Task EndSessionAsync(ClientSession session, StreamError? error)
    {
        if (!session.TryMarkEnded())
        {
            return;
        }

        Sessions.Remove(session);
        Caps.Forget(session.FullJid);
        Diagnostics.XmppMetrics.SessionEnded(session.Listener);
        LastSeen.SessionEnded(session.BareJid);
        if (session.StreamManagement?.ResumptionId is { } id)
        {
            Resumable.TryRemove(new KeyValuePair<string, ClientSession>(id, session));
        }

        session.Close(error);
        try
        {
            await session.Writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await Presence.SessionEndedAsync(session, CancellationToken.None).ConfigureAwait(false);
        var undelivered = session.TakeUndelivered();
        var rerouted = 0;
        foreach (var element in undelivered)
        {
            if (element.Name != "message" || element.GetAttribute("type") is "error" or "groupchat" or "headline"
                || !Jid.TryParse(element.GetAttribute("to"), out var to))
            {
                continue;
            }

            Jid.TryParse(element.GetAttribute("from"), out var from);
            await Messages.DeliverAsync(new Stanza(element, StanzaKind.Message, from, to), CancellationToken.None, withinBound: true).ConfigureAwait(false);
            rerouted++;
        }

        session.SettleHandedBack();
        LogSessionEnded(Logger, session.FullJid.ToString(), error?.Condition ?? "closed", rerouted);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Session {Jid} ended ({Reason}); {Rerouted} undelivered messages delivered elsewhere")]
    private static partial void LogSessionEnded(ILogger logger, string jid, string reason, int rerouted);
}
