using System.Text.Json;
using Converge.Interop.Support;

namespace Converge.Interop.Email;

/// <summary>
/// The JSON lines the email peer scripts print on stdout ({"event": ...}), read from a child
/// process's captured output; other lines (peer.py's LOGIN, PASS) are skipped.
/// </summary>
internal static class PeerEvents
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEnumerable<JsonElement> All(ChildProcess process) =>
        process.Output.StdoutLines.Select(Parse).OfType<JsonElement>();

    public static string? Name(JsonElement e) => e.TryGetProperty("event", out var v) ? v.GetString() : null;

    /// <summary>
    /// Waits for the first event (already printed or still to come) that matches; fails the test
    /// naming <paramref name="description"/> if the process exits or the time runs out first.
    /// </summary>
    public static async Task<JsonElement> WaitAsync(
        ChildProcess process, Func<JsonElement, bool> match, string description, TimeSpan timeout, Func<string> context)
    {
        // The predicate runs on the process's output thread, where an exception would end the test host:
        // it fails this wait instead.
        var broken = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var found = process.Output.WaitForLineAsync(l =>
        {
            try
            {
                return Parse(l) is { } e && match(e);
            }
            catch (Exception exception)
            {
                broken.TrySetException(new InvalidOperationException($"while looking for {description} in: {l}", exception));
                return false;
            }
        });
        using var stopWatching = new CancellationTokenSource();
        var exited = WatchExitAsync(process, stopWatching.Token);
        try
        {
            var first = await Task.WhenAny(found, broken.Task, exited).WaitAsync(timeout);
            if (first != exited)
            {
                return Parse(await (first == found ? found : broken.Task))!.Value;
            }
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            await stopWatching.CancelAsync();
        }

        Assert.Fail($"{(process.HasExited ? $"{process.Description} exited" : "timed out")} before: {description} (within {timeout.TotalSeconds:0} s)\n{context()}");
        return default;
    }

    public static JsonElement? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // ChildProcess offers no exit task without a kill-on-timeout; polling is cheap next to a peer's work.
    private static async Task WatchExitAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        while (!process.HasExited && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
