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

    private SmsNetwork? _network;
    private InterworkingServer? _server;

    internal SmsNetwork Network => _network ?? throw new InvalidOperationException("not started");

    internal InterworkingServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The server's and the network's logs, for failure messages.</summary>
    internal string Context() => $"\n--- server log:\n{_server?.Log}\n--- SMSC simulator:\n{_network?.Log}";

    /// <summary>The address a CPM user writes for a phone number: +E164@domain.</summary>
    internal static string JidOf(string number) => $"{number}@{Support.ConvergeServer.Domain}";

    internal Task<CpmClient> ClientAsync(Subscriber user) => CpmClient.StartAsync(Server.ClientPort, user, Context);

    public async Task InitializeAsync()
    {
        _network = await SmsNetwork.StartAsync();
        _server = await InterworkingServer.StartAsync(_network, SystemId, ["+4917000", "+4940555"], SourceNumbers, [Mary, Maya, Rita]);
    }

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
