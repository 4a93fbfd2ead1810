namespace Converge.Interworking.Tests.Email.Support;

/// <summary>Runs the real swaks (Debian package "swaks") against a listener and returns its exit code and transcript.</summary>
internal static class Swaks
{
    public static async Task<(int ExitCode, string Transcript)> RunAsync(ListenerHarness harness, params string[] arguments)
    {
        string[] common = ["--server", "127.0.0.1", "--port", harness.Port, "--helo", "client.mail.example", "--timeout", "10"];
        await using var swaks = PeerProcess.Start("swaks", [.. common, .. arguments]);
        var exit = await swaks.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (exit, swaks.Output);
    }
}
