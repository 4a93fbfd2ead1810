using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Web;

/// <summary>
/// The web chat Converge serves at <c>/</c> (Converse.js, installed with npm as an operator would) in
/// Debian's chromium: a browser user logs in over WebSocket, sees what a slixmpp user sends and answers.
/// </summary>
public sealed class WebChatTests(ITestOutputHelper output)
{
    private static readonly string NodePeers = Path.Combine(
        typeof(WebChatTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PeersDirectory").Value!, "node");

    [Fact]
    public async Task A_browser_user_on_the_served_web_chat_chats_with_a_slixmpp_user()
    {
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob"],
            // Where install-test-deps ran `npm install` (converse.js is in its package.json).
            ExtraConfig = new JsonObject { ["WebChat"] = new JsonObject { ["Path"] = NodePeers } },
        }.StartAsync();
        await using var bob = PeerScripts.StartPython(server, "webchat_bob.py", "--bob", PeerScripts.Account("bob"), "--alice", "alice");
        Assert.True(await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), $"slixmpp bob did not log in:\n{bob.Output.Text}\n{server.Log}");

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        var shot = Path.Combine(artifacts, "webchat.png");
        File.Delete(shot);
        await using var browser = PeerScripts.StartNode(
            server, "webchat.mjs", "--http", server.HttpPort.ToString(CultureInfo.InvariantCulture),
            "--alice", PeerScripts.Account("alice"), "--bob", "bob", "--shot", shot);
        Assert.True(
            await browser.WaitForLineAsync("LOGGED-IN", PeerScripts.ScenarioTimeout),
            $"the browser did not log in:\n{browser.Output.Text}\n--- server log:\n{server.Log}");
        Assert.Contains("Session alice@localhost/", server.Log, StringComparison.Ordinal);

        await bob.WriteLineAsync("SEND");
        await ScenarioAssert.PassesAsync(browser, server, output, "^SHOWN hello from slixmpp$", "^TYPED$", "^SCREENSHOT ", "^PASS$");
        await ScenarioAssert.PassesAsync(bob, server, output, "^SENT$", "^BOB-GOT hello from the browser$", "^PASS$");
        Assert.True(new FileInfo(shot).Length > 0, "no screenshot");
        output.WriteLine($"screenshot: {shot}");
    }

    [Fact]
    public async Task Without_converse_installed_the_page_says_how_to_install_it()
    {
        await using var server = await new ConvergeServer { Users = ["alice"] }.StartAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{server.HttpPort}/"));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Web chat not installed", page, StringComparison.Ordinal);
        Assert.Contains("npm install --prefix ", page, StringComparison.Ordinal);
        Assert.Contains("converse.js@14.0.0", page, StringComparison.Ordinal);
    }
}
