using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Support;

namespace Converge.Interop.Sms;

/// <summary>
/// One simulated SMS network and one Converge provider bound to it, shared by the SMS scenarios
/// (each scenario talks to handsets of its own, so they do not see each other's messages).
/// The provider owns the numbers +4917000… (its subscribers) and +4940555… (its pool of sender
/// numbers); every other number is a handset of the network.
/// </summary>
public sealed class SmsWorld : IAsyncLifetime
{
    internal const string SystemId = "conv";

    /// <summary>The password every provider binds to the simulated network with.</summary>
    internal const string SmppPassword = "secret";

    /// <summary>Invitations left unanswered are declined after this long (Sms.SessionInviteTimeout).</summary>
    internal static readonly TimeSpan SessionInviteTimeout = TimeSpan.FromSeconds(2);

    internal static readonly string[] SourceNumbers = ["+4940555000", "+4940555001", "+4940555002"];

    /// <summary>Mary: a CPM user with a number of her own.</summary>
    internal static readonly Subscriber Mary = new("mary", "+4917000100");

    /// <summary>Maya: a CPM user without a number; her SMS go out from the pool.</summary>
    internal static readonly Subscriber Maya = new("maya");

    /// <summary>
    /// Rita: a subscriber with a number whom technology selection may send SMS. Her number lies outside the
    /// provider's range on purpose: the simulated network hands an SMS to a number of a provider's
    /// range back to that provider, and hers must reach her handset.
    /// </summary>
    internal static readonly Subscriber Rita = new("rita", "+4916000300");

    private SmscSimulator? _network;
    private ConvergeServer? _server;

    internal SmscSimulator Network => _network ?? throw new InvalidOperationException("not started");

    internal ConvergeServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The server's and the network's logs, for failure messages.</summary>
    internal string Context() => $"\n--- server log:\n{_server?.Log}\n--- SMSC simulator:\n{_network?.Log}";

    /// <summary>The address a CPM user writes for a phone number: +E164@domain.</summary>
    internal static string JidOf(string number) => $"{number}@{ConvergeServer.Domain}";

    internal Task<CpmClient> ClientAsync(Subscriber user) => CpmClient.StartAsync(Server.ClientPort, user, Context);

    public async Task InitializeAsync()
    {
        _network = await SmscSimulator.StartAsync();
        _server = await StartServerAsync(_network, SystemId, ["+4917000", "+4940555"], SourceNumbers, [Mary, Maya, Rita]);
    }

    /// <summary>
    /// Registers a provider with <paramref name="network"/> (owning <paramref name="ownedPrefixes"/>) and starts
    /// a server whose Sms section binds to it as <paramref name="systemId"/>, with <paramref name="subscribers"/>
    /// provisioned by the real CLI (<c>user add --msisdn --cpm</c>); returns, and restarts, once it is bound to the SMSC.
    /// </summary>
    internal static async Task<ConvergeServer> StartServerAsync(
        SmscSimulator network, string systemId, IReadOnlyList<string> ownedPrefixes, IReadOnlyList<string> sourceNumbers, IReadOnlyList<Subscriber> subscribers,
        Action<JsonObject>? adjustSms = null)
    {
        await network.AddProviderAsync(systemId, SmppPassword, [.. ownedPrefixes]);
        var sms = SmsSection(network, systemId, sourceNumbers);
        adjustSms?.Invoke(sms);
        return await new ConvergeServer
        {
            Users = [.. subscribers.Select(s => s.Name)],
            UserOptions = subscribers.ToDictionary(s => s.Name, s => s.AddOptions),
            ExtraConfig = new JsonObject { ["Sms"] = sms },
            ReadyWhen = [SmppBound(systemId)],
        }.StartAsync();
    }

    /// <summary>The <c>Sms</c> configuration section that binds to <paramref name="network"/> as <paramref name="systemId"/>.</summary>
    internal static JsonObject SmsSection(SmscSimulator network, string systemId, IReadOnlyList<string> sourceNumbers) => new()
    {
        ["Smsc"] = $"127.0.0.1:{network.SmppPort.ToString(CultureInfo.InvariantCulture)}",
        ["SystemId"] = systemId,
        ["Password"] = SmppPassword,
        ["SourceNumbers"] = new JsonArray([.. sourceNumbers.Select(n => JsonValue.Create(n))]),
        ["SessionInviteTimeout"] = SessionInviteTimeout.ToString("c", CultureInfo.InvariantCulture),
        // A part whose response a dropped bind lost goes again after 2 s without a report (the
        // simulator reports nothing it did not deliver); LostResponseTests holds much longer.
        ["InDoubtHold"] = "00:00:02",
    };

    /// <summary>
    /// The log line of a server bound to the SMSC as <paramref name="systemId"/>
    /// ("SMPP bind 0 to host:port as systemId bound (SMSC ...)"): from here on submissions go out at once.
    /// </summary>
    internal static (string Description, Func<string, bool> Matches) SmppBound(string systemId) =>
        ("SMPP bind", l => l.Contains("SMPP bind", StringComparison.Ordinal) && l.Contains($"as {systemId} bound", StringComparison.Ordinal));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
    }
}
