using System.Collections.Concurrent;
using System.Diagnostics;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// A real peer run as a child process (swaks, aiosmtpd, dnsmasq) with its output captured.
/// Disposing kills the process tree and waits for it, so no test leaves a process behind.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineAdded = new(0);

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public string Output => string.Join('\n', _lines);

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string? standardInput = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Add(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        return peer;
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _lineAdded.Release();
        }
    }

    /// <summary>The first output line starting with <paramref name="prefix"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !await _lineAdded.WaitAsync(50))
            {
                throw new TimeoutException($"'{prefix}' did not appear; output so far:\n{Output}");
            }

            await _lineAdded.WaitAsync(left);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await DisposeAsync();
            throw new TimeoutException($"Still running after {timeout.TotalSeconds:0} s; output:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
