namespace Converge.Interop.Sms;

/// <summary>
/// The SMS scenarios share one network and provider and run one after another: the network's
/// fault switches (throttle, drop) act on the next submissions, whoever makes them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SmsNetworkCollection : ICollectionFixture<SmsWorld>
{
    public const string Name = "SMS network";
}
