using System.Text.Json.Nodes;
using Converge.Interop.Email;
using Converge.Interop.Federation;
using Converge.Interop.Sms;
using Converge.Interop.Support;

namespace Converge.Interop.Trust;

/// <summary>
/// The world the trust tests attack, all real processes on loopback:
/// <list type="bullet">
/// <item>provider A (<c>a.test</c>, Converge): our server. Its own range is +4940; it is bound to the SMSC simulator
/// (with a pool of sender numbers, so a refusal cannot come from "no sender number") and relays mail to aiosmtpd.</item>
/// <item>provider B (<c>b.test</c>, Converge): an agreement with every feature but <c>Interworking</c>, range +4920.</item>
/// <item>provider C (<c>c.test</c>, Converge): an agreement with every feature, range +4930; Carl is +4930123456.</item>
/// <item>Prosody (<c>prosody.test</c>): an agreement with only <c>Presence</c> and <c>Subscription</c> (no <c>Messaging</c>).</item>
/// </list>
/// Each test uses accounts of its own, so that block lists and rosters of one do not leak into another.
/// </summary>
public sealed class TrustWorld : IAsyncLifetime
{
    public const string ADomain = "a.test";
    public const string BDomain = "b.test";
    public const string CDomain = "c.test";
    public const string ProsodyDomain = "prosody.test";

    /// <summary>Carl's number, in C's range (A's agreement with C).</summary>
    public const string CarlsNumber = "+4930123456";

    /// <summary>A number of no subscriber and in no range: only the SMS network knows it (a handset).</summary>
    public const string StrangersNumber = "+4915199990001";

    /// <summary>A mail address that is nobody's here.</summary>
    public const string StrangersAddress = "peter@mail.example";

    internal const string SmscSystemId = "trusta";

    /// <summary>
    /// A's accounts. Numbers under +4940 lie in A's range and the SMSC hands
    /// an SMS for them back to A; Dave's lies outside it, so an SMS for him reaches his handset.
    /// </summary>
    internal static readonly Subscriber[] Accounts =
    [
        new("alice", "+4940100100"), // the well-behaved local sender of the positive controls; blocks carol
        new("carol", "+4940100300"),
        new("dave", "+4916000400", Cpm: false), // SMS-only; blocks alice
        new("mila"), // writes to dave without being blocked
        new("erin", "+4940100500"), // blocks frank before he subscribes to her number
        new("frank"),
        new("gina"), // subscribes to erin's and olga's numbers and is never blocked
        new("olga", "+4940100800"), // approves paul's subscription to her number, then blocks him
        new("paul"),
    ];

    private readonly int _aServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _bServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _cServerPort = ConvergeServer.FreeTcpPort();

    internal LoopbackDns Dns { get; } = new();

    internal SmscSimulator Network { get; private set; } = null!;

    internal MailRelay Relay { get; private set; } = null!;

    internal ProsodyServer Prosody { get; private set; } = null!;

    internal ConvergeServer A { get; private set; } = null!;

    internal ConvergeServer B { get; private set; } = null!;

    internal ConvergeServer C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Network = await SmscSimulator.StartAsync();
        await Network.AddProviderAsync(SmscSystemId, SmsWorld.SmppPassword, "+4940");
        Relay = await MailRelay.StartAsync();
        Prosody = await ProsodyServer.StartAsync(ProsodyDomain, Dns.Endpoint.Port, ConvergeServer.Password, "pat");

        var a = AgreementConfig.With("+4940", (BDomain, _bServerPort, "+4920"), (CDomain, _cServerPort, "+4930"), (ProsodyDomain, Prosody.ServerToServerPort, null));
        a["Agreements"]![ProsodyDomain]!["Features"] = new JsonArray("Presence", "Subscription");
        a["Sms"] = SmsWorld.SmsSection(Network, SmscSystemId, ["+4940555900", "+4940555901"]);
        a["Email"] = EmailWorld.EmailSection(Relay.Endpoint, inbound: "");
        A = await new ConvergeServer
        {
            XmppDomain = ADomain,
            ServerToServerPort = _aServerPort,
            Users = [.. Accounts.Select(u => u.Name)],
            UserOptions = Accounts.ToDictionary(u => u.Name, u => u.AddOptions),
            ExtraConfig = a,
            ReadyWhen = [SmsWorld.SmppBound(SmscSystemId)],
        }.StartAsync();
        Dns.AddServerToServer(ADomain, _aServerPort);

        B = await new ConvergeServer
        {
            XmppDomain = BDomain,
            ServerToServerPort = _bServerPort,
            Users = ["bob"],
            ExtraConfig = AgreementConfig.With("+4920", (ADomain, _aServerPort, "+4940")),
        }.StartAsync();
        C = await new ConvergeServer
        {
            XmppDomain = CDomain,
            ServerToServerPort = _cServerPort,
            Users = ["carl"],
            UserOptions = new Dictionary<string, IReadOnlyList<string>> { ["carl"] = ["--msisdn", CarlsNumber] },
            ExtraConfig = AgreementConfig.With("+4930", (ADomain, _aServerPort, "+4940")),
        }.StartAsync();
    }

    /// <summary>Every log of the world, for failure messages.</summary>
    internal string Context() =>
        $"\n--- a.test:\n{A?.Log}\n--- b.test:\n{B?.Log}\n--- c.test:\n{C?.Log}\n--- SMSC simulator:\n{Network?.Log}" +
        $"\n--- mail relay:\n{Relay?.Log}\n--- dns questions: {Dns.Questions}\n--- prosody:\n{Prosody?.Log}";

    /// <summary>A slixmpp client (cpm_client.py) logged in as <paramref name="user"/> on <paramref name="server"/>.</summary>
    internal Task<CpmClient> ClientAsync(ConvergeServer server, string user) =>
        CpmClient.StartAsync(server.ClientPort, new Subscriber(user), Context, server.XmppDomain);

    /// <summary>A slixmpp client logged in as <paramref name="user"/> on the Prosody peer.</summary>
    internal Task<CpmClient> ProsodyClientAsync(string user) =>
        CpmClient.StartAsync(Prosody.ClientPort, new Subscriber(user), Context, ProsodyDomain);

    /// <summary>The JID a user of A writes for a phone number or a mail address: in A's own domain.</summary>
    internal static string AtA(string numberOrLocal) => $"{numberOrLocal.Replace("@", "\\40", StringComparison.Ordinal)}@{ADomain}";

    internal static string MsisdnOf(string user) => Accounts.Single(a => a.Name == user).Msisdn!;

    internal static string Jid(string user, string domain = ADomain) => $"{user}@{domain}";

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { C, B, A })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (Prosody is not null)
        {
            await Prosody.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }

        await Dns.DisposeAsync();
    }
}

/// <summary>The trust tests share one world and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class TrustCollection : ICollectionFixture<TrustWorld>
{
    public const string Name = "Trust world";
}
