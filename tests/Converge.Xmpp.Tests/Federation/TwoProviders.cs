namespace Converge.Xmpp.Tests.Federation;

/// <summary>Providers a.test and b.test with an agreement with each other, shared by one test class.</summary>
public sealed class TwoProviders : IAsyncLifetime
{
    internal FederatedServer A { get; private set; } = null!;

    internal FederatedServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await FederatedServer.StartAsync("a.test");
        B = await FederatedServer.StartAsync("b.test");
        A.AgreeWith(B);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
