using System.Globalization;
using Converge.Interop.Federation;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.GroupChat;

/// <summary>
/// Group chat across the interconnection with Prosody 0.12's mod_muc (conference.prosody.test): a
/// Prosody user in a Converge room and a Converge user in a Prosody room, with GroupChat in the agreement.
/// </summary>
public sealed class GroupChatWithProsodyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_prosody_user_joins_a_converge_room_and_a_converge_user_joins_a_prosody_muc_room()
    {
        await using var dns = new LoopbackDns();
        await using var prosody = await ProsodyServer.StartAsync("prosody.test", dns.Endpoint.Port, ConvergeServer.Password, "pat");
        var config = AgreementConfig.With(null, (prosody.Domain, prosody.ServerToServerPort, null));
        config["Agreements"]![prosody.Domain]!["Features"]!.AsArray().Add("GroupChat");
        config["Agreements"]![prosody.Domain]!["IncludeSubdomains"] = true; // Prosody's MUC is conference.prosody.test
        await using var converge = await new ConvergeServer
        {
            XmppDomain = "converge.test",
            Users = ["alice"],
            ServerToServerPort = ConvergeServer.FreeTcpPort(),
            ExtraConfig = config,
        }.StartAsync();
        dns.AddServerToServer(converge.XmppDomain, converge.ServerToServerPort!.Value);
        dns.AddServerToServer("conference." + converge.XmppDomain, converge.ServerToServerPort!.Value);

        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "muc_prosody.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script,
             "--alice", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{converge.ClientPort}:{converge.XmppDomain}:alice:{ConvergeServer.Password}"),
             "--pat", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{prosody.ClientPort}:{prosody.Domain}:pat:{ConvergeServer.Password}")],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        var exitCode = await peer.WaitForExitAsync(TimeSpan.FromSeconds(150));
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        var context = $"\n--- scenario:\n{peer.Output.Text}\n--- converge:\n{converge.Log}\n--- dns: {dns.Questions}\n--- prosody:\n{prosody.Log}";
        Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{context}");
        var lines = peer.Output.StdoutLines;
        Assert.Contains("PROSODY-USER-IN-CONVERGE-ROOM pat@prosody.test in town@conference.converge.test: both messages reached both once", lines);
        Assert.Contains("CONVERGE-USER-IN-PROSODY-ROOM alice@converge.test in harbour@conference.prosody.test: spoke, was reflected, got a private message", lines);
    }
}
