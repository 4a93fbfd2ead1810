using System.Globalization;
using Converge.Interop.Support;

namespace Converge.Interop.Email;

/// <summary>
/// An ordinary mail tool on the other side: Debian's swaks, sending one mail into Converge's
/// inbound SMTP listener. Returns swaks's exit code (0 sent, 24 a recipient refused) and its transcript.
/// </summary>
internal static class Swaks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<(int ExitCode, string Transcript)> SendAsync(int port, string from, string to, params string[] options)
    {
        string[] arguments =
        [
            "--server", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--helo", "mx.mail.example",
            "--timeout", "20", "--from", from, "--to", to, .. options,
        ];
        await using var swaks = ChildProcess.Start("swaks", arguments, Path.GetTempPath());
        var exitCode = await swaks.WaitForExitAsync(Timeout);
        return (exitCode, swaks.Output.Text);
    }

    /// <summary>Sends <paramref name="data"/> as the whole DATA (headers and body) as it stands.</summary>
    public static async Task<(int ExitCode, string Transcript)> SendDataAsync(int port, string from, string to, string data)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, data);
            return await SendAsync(port, from, to, "--data", "@" + file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
