using System.Diagnostics;

namespace Converge.Interop.Support;

/// <summary>
/// A child process (the server or a peer script) whose output is captured line by line.
/// Disposing kills the whole process tree and waits for it, so no test leaves processes behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public CapturedOutput Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        bool redirectStdin = false)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, $"{fileName} {string.Join(' ', startInfo.ArgumentList)}");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Output.AddStdout(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Output.AddStderr(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for exit; on timeout kills the tree and reports -1.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            // Also waits until the redirected output has been read to its end.
            await _process.WaitForExitAsync(cancellation.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Output.AddStderr($"(killed: still running after {timeout.TotalSeconds:0} s)");
            await KillAsync();
            return -1;
        }
    }

    /// <summary>True once stdout has shown <paramref name="line"/>; false if the process exits or the time runs out first.</summary>
    public async Task<bool> WaitForLineAsync(string line, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource(timeout);
        var shown = Output.WaitForLineAsync(l => l == line);
        var exited = _process.WaitForExitAsync(stop.Token);
        await Task.WhenAny(shown, exited);
        await stop.CancelAsync();
        return shown.IsCompletedSuccessfully;
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the caller through the captured output; nothing more to do here.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
