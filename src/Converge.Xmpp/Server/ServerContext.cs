using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Im;
using Converge.Xmpp.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp;

/// <summary>
/// What every part of the running server shares: configuration, stores, the account directory,
/// the session table, the router and the modules hooked into it. Built once by <see cref="Server.XmppServer"/>.
/// </summary>
internal sealed class ServerContext
{
    public ServerContext(Server.XmppServerOptions options, IStores stores, ILoggerFactory loggerFactory)
    {
        Options = options;
        Domain = Jid.Parse(options.Domain).Domain;
        DomainJid = Jid.Parse(Domain);
        Stores = stores;
        ChannelBinding = options.OfferChannelBinding && Sasl.ChannelBindings.TryTlsServerEndPoint(options.Certificate, out var endPoint)
            ? new Sasl.ChannelBinding(Sasl.ChannelBinding.TlsServerEndPoint, endPoint)
            : null;
        Logger = loggerFactory.CreateLogger("Converge.Xmpp");
        Accounts = new Server.AccountDirectory(stores.Accounts, loggerFactory.CreateLogger("Converge.Accounts"));
        Sessions = new SessionRegistry();
        Router = new StanzaRouter(this);
        Presence = new PresenceModule(this);
        Messages = new MessageModule(this);
        Blocking = new BlockingModule(this);
        RosterPushes = new RosterPusher(this);
        AuthThrottle = new Server.AuthThrottle(options.Client.AuthFailuresBeforeDelay);

        new RosterModule(this).Register(Router.Iq);
        new DiscoModule(this).Register(Router.Iq);
        new VCardModule(this).Register(Router.Iq);
        Blocking.Register(Router.Iq);
        PingModule.Register(Router.Iq);
        VersionModule.Register(Router.Iq);
    }

    public Server.XmppServerOptions Options { get; }

    /// <summary>Cancelled when the server stops.</summary>
    public CancellationToken ShutdownToken { get; set; }

    /// <summary>tls-server-end-point channel binding of the server certificate (RFC 5929); the same for every connection.</summary>
    public Sasl.ChannelBinding? ChannelBinding { get; }

    /// <summary>The served domain, case-folded.</summary>
    public string Domain { get; }

    public Jid DomainJid { get; }

    public IStores Stores { get; }

    public ILogger Logger { get; }

    public Server.AccountDirectory Accounts { get; }

    public SessionRegistry Sessions { get; }

    public StanzaRouter Router { get; }

    public PresenceModule Presence { get; }

    public MessageModule Messages { get; }

    public BlockingModule Blocking { get; }

    public RosterPusher RosterPushes { get; }

    public Server.AuthThrottle AuthThrottle { get; }
}
