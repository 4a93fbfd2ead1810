using System.Text;

namespace Converge.Interop.Support;

/// <summary>
/// The stdout and stderr lines of a child process, kept in arrival order and safe to read while
/// the process still writes. Waiters are released when a wanted line arrives.
/// </summary>
internal sealed class CapturedOutput
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _all = new();
    private readonly List<string> _stdout = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Found)> _waiters = [];

    public void AddStdout(string line)
    {
        lock (_gate)
        {
            _all.Append(line).Append('\n');
            _stdout.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Matches(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public void AddStderr(string line)
    {
        lock (_gate)
        {
            _all.Append("[stderr] ").Append(line).Append('\n');
        }
    }

    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Both streams interleaved as they arrived, stderr lines marked.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>Completes with the first stdout line (already received or still to come) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> matches)
    {
        lock (_gate)
        {
            var earlier = _stdout.FirstOrDefault(matches);
            if (earlier is not null)
            {
                return Task.FromResult(earlier);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((matches, found));
            return found.Task;
        }
    }
}
