namespace Converge.Tests.Cli;

/// <summary><c>converge routes</c> prints the server's own routing registration, in running order.</summary>
public sealed class RoutesCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConvergeCli _cli;

    public RoutesCommandTests() => _cli = new ConvergeCli(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Routes_lists_each_event_with_policy_before_delivery_and_the_iq_payload_events()
    {
        var result = await _cli.RunAsync("routes");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith("route/legacy", StringComparison.Ordinal));
        var legacy = lines.Skip(at).Take(1).Concat(lines.Skip(at + 1).TakeWhile(l => l.StartsWith(' ') && l.Trim().Length > 0)).ToList();
        Assert.Equal(
            ["2000 metrics: count the stanza by kind, route and origin", "1500 storage: no new messages while the disk is full", "1000 blocking: the sender's list", "775 anti-abuse: messages per sender", "750 interworking: who may use the gateways", "725 interworking: SMS destinations and daily limits", "500 archive + carbons: the sender's copies", "0 interworking: to the SMS or email gateway"],
            legacy.Select(l => string.Join(' ', l.Replace("route/legacy", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        Assert.Contains(result.OutputLines, l => l == "iq-get|set/bare/jabber:iq:roster:query");
    }

    [Fact]
    public async Task Routes_with_a_broken_configuration_says_why_and_exits_with_the_configuration_code()
    {
        await File.WriteAllTextAsync(_cli.ConfigPath, "{ \"Domain\": ");
        var result = await _cli.RunAsync("routes");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("converge.json", result.Error, StringComparison.Ordinal);
    }
}
