using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Support;

namespace Converge.Interop.Email;

/// <summary>
/// One real <c>converge serve</c> with an <c>Email</c> section, its relay (aiosmtpd) and its
/// inbound SMTP listener, shared by the email scenarios. Each scenario talks to correspondents of
/// its own, so they do not see each other's mail. Mary is a CPM user; Bob has only email
/// (<c>user add --email bob@mail.example --cpm false</c>).
/// </summary>
public sealed class EmailWorld : IAsyncLifetime
{
    /// <summary>The domain of the CPM users' email identities (Email.Domain), unlike the XMPP domain on purpose.</summary>
    internal const string MailDomain = "converge.example";

    internal const string Mary = "mary";

    internal const string Bob = "bob";

    internal const string BobsAddress = "bob@mail.example";

    private MailRelay? _relay;
    private ConvergeServer? _server;

    internal static string MarysJid => $"{Mary}@{ConvergeServer.Domain}";

    internal static string MarysAddress => $"{Mary}@{MailDomain}";

    internal MailRelay Relay => _relay ?? throw new InvalidOperationException("not started");

    internal ConvergeServer Server => _server ?? throw new InvalidOperationException("not started");

    internal int InboundPort { get; private set; }

    /// <summary>The JID a CPM user writes for an email address: XEP-0106-escaped, in the user's own domain.</summary>
    internal static string JidOf(string address) => $"{address.Replace("@", "\\40", StringComparison.Ordinal)}@{ConvergeServer.Domain}";

    /// <summary>The server's and the relay's logs, for failure messages.</summary>
    internal string Context() => $"\n--- server log:\n{_server?.Log}\n--- relay:\n{_relay?.Log}";

    internal Task<ChatClient> ClientAsync(string user) => ChatClient.StartAsync(Server, user, Context);

    public async Task InitializeAsync()
    {
        _relay = await MailRelay.StartAsync();
        InboundPort = ConvergeServer.FreeTcpPort();
        _server = await StartServerAsync(_relay.Endpoint, InboundPort);
    }

    /// <summary>
    /// A server whose Email section relays to <paramref name="relay"/> and listens on <paramref name="inboundPort"/>,
    /// with Mary and the email-only Bob; returns once its SMTP listener is up.
    /// </summary>
    internal static async Task<ConvergeServer> StartServerAsync(string relay, int inboundPort)
    {
        var inbound = $"127.0.0.1:{inboundPort.ToString(CultureInfo.InvariantCulture)}";
        var server = new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Email"] = EmailSection(relay, inbound) },
            UserOptions = new Dictionary<string, IReadOnlyList<string>>
            {
                [Mary] = [],
                [Bob] = ["--email", BobsAddress, "--cpm", "false"],
            },
        };
        try
        {
            await server.InitializeAsync();
            await server.WaitForLogLineAsync(l => l.Contains($"SMTP listener on {inbound}", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "SMTP listener");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>Email</c> configuration section: mail out through <paramref name="relay"/>, in on <paramref name="inbound"/> ("" for none).</summary>
    internal static JsonObject EmailSection(string relay, string inbound) => new()
    {
        ["Inbound"] = inbound,
        ["Relay"] = relay,
        ["Domain"] = MailDomain,
        ["MaxMessageBytes"] = 1_048_576,
        ["ValidateRelayCertificate"] = false,
    };

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }
}
