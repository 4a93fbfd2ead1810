using System.Threading.Channels;
using Converge.Interworking.Sms;

namespace Converge.Interworking.Tests.Sms.Support;

/// <summary>
/// An <see cref="SmppEsme"/> bound to the simulator as a provider of its own (system_id, password
/// and number range unique to the test), collecting what it receives.
/// </summary>
internal sealed class EsmeHarness : IAsyncDisposable
{
    private static int s_next;

    private readonly Channel<InboundSms> _messages = Channel.CreateUnbounded<InboundSms>();
    private readonly Channel<DeliveryReceipt> _receipts = Channel.CreateUnbounded<DeliveryReceipt>();

    private EsmeHarness(SmscSimulator smsc, SmppOptions options, string prefix)
    {
        Smsc = smsc;
        Options = options;
        Prefix = prefix;
        Esme = new SmppEsme(options, Logger);
        Esme.OnMessage = (sms, _) => _messages.Writer.WriteAsync(sms);
        Esme.OnReceipt = (receipt, _) => _receipts.Writer.WriteAsync(receipt);
    }

    public SmscSimulator Smsc { get; }

    public SmppOptions Options { get; }

    public SmppEsme Esme { get; }

    public CapturingLogger<SmppEsme> Logger { get; } = new();

    /// <summary>The number range the simulator routes to this provider, e.g. "+4940512".</summary>
    public string Prefix { get; }

    /// <summary>A number in this provider's range.</summary>
    public string Number(int n = 0) => $"{Prefix}{n:D4}";

    /// <summary>A handset number unique to this harness.</summary>
    public string Handset(int n = 0) => $"+49151{Prefix[^3..]}{n:D4}";

    public static async Task<EsmeHarness> StartAsync(SmscSimulator smsc, Action<SmppOptions>? configure = null, bool register = true, bool waitForBind = true)
    {
        var n = Interlocked.Increment(ref s_next);
        var prefix = $"+49405{n:D3}";
        var options = new SmppOptions
        {
            Host = "127.0.0.1",
            Port = smsc.SmppPort,
            SystemId = $"esme{n}",
            Password = $"pw{n}x",
            ResponseTimeout = TimeSpan.FromSeconds(3),
            ReconnectMin = TimeSpan.FromMilliseconds(50),
            ReconnectMax = TimeSpan.FromMilliseconds(400),
        };
        configure?.Invoke(options);
        if (register)
        {
            await smsc.AddProviderAsync($"esme{n}", $"pw{n}x", prefix);
        }

        var harness = new EsmeHarness(smsc, options, prefix);
        await harness.Esme.StartAsync(CancellationToken.None);
        if (waitForBind)
        {
            await harness.WaitUntilBoundAsync();
        }

        return harness;
    }

    public async Task WaitUntilBoundAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Esme.IsBound)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Options.SystemId} did not bind. ESME log:\n{string.Join('\n', Logger.Lines)}\nSimulator log:\n{Smsc.Log}");
            }

            await Task.Delay(20);
        }
    }

    public Task<InboundSms> NextMessageAsync(TimeSpan? timeout = null) => Next(_messages, timeout);

    public Task<DeliveryReceipt> NextReceiptAsync(TimeSpan? timeout = null) => Next(_receipts, timeout);

    public bool HasMoreMessages => _messages.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync() => await Esme.DisposeAsync();

    private async Task<T> Next<T>(Channel<T> channel, TimeSpan? timeout)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await channel.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Options.SystemId} received nothing. ESME log:\n{string.Join('\n', Logger.Lines)}\nSimulator log:\n{Smsc.Log}");
        }
    }
}
