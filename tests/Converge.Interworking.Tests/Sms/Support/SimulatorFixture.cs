namespace Converge.Interworking.Tests.Sms.Support;

/// <summary>One simulated SMS network per test class; tests keep apart by their own providers and numbers.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private SmscSimulator? _smsc;

    internal SmscSimulator Smsc => _smsc ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _smsc = await SmscSimulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_smsc is not null)
        {
            await _smsc.DisposeAsync();
        }
    }
}
