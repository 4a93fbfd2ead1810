namespace Converge.Bench.Metrics;

/// <summary>
/// A status line on stderr once a second while a phase runs (rewritten in place on a terminal,
/// one line per second into a log). Disposing it stops the line.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _terminal = !Console.IsErrorRedirected;

    public ProgressLine(Func<string> status)
    {
        _loop = RunAsync(status, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        if (_terminal)
        {
            await Console.Error.WriteLineAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<string> status, CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            var line = status();
            if (_terminal)
            {
                await Console.Error.WriteAsync("\r" + line.PadRight(110)).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
    }
}
