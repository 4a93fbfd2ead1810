using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Converge.Interop.Sms;
using Converge.Interop.Support;
using Converge.Testing;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>
/// At the default log level no password, token or message body reaches the log: a scenario that
/// carries known ones through every door (SASL, a failed login, the admin API with a token and with a
/// wrong one, a password set through the API, a message delivered, stored offline and sent by SMS),
/// then the whole captured log (both formats) is searched for them.
/// </summary>
public sealed class SecretsInLogsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    public async Task No_password_token_or_message_body_appears_in_the_log_at_the_default_level(string format)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        var password = $"Pw-{unique}-alice";
        var wrongPassword = $"Wrong-{unique}-carol";
        var body = $"Body-{unique}-the meeting is at noon";
        var wrongToken = $"cvt_{unique}notatoken";
        const string handset = "+4915110000077";

        await using var network = await SmscSimulator.StartAsync();
        await network.AddProviderAsync(SmsWorld.SystemId, SmsWorld.SmppPassword, "+4917000", "+4940555");
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject
            {
                ["Sms"] = SmsWorld.SmsSection(network, SmsWorld.SystemId, ["+4940555000"]),
                ["Logging"] = new JsonObject { ["Format"] = format },
            },
            ReadyWhen = [SmsWorld.SmppBound(SmsWorld.SystemId)],
        }.StartAsync();
        var token = (await server.RunOperatorCommandAsync("admin", "token", "add", "noc"))[^1];

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrongToken);
            using var refused = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var changed = await http.PatchAsJsonAsync("/api/users/alice@localhost", new { password }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        using (var added = await http.PostAsJsonAsync("/api/users", new { jid = "erin", password }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        await using (var peer = PeerScripts.StartPython(
            server, "secrets_scenario.py", "--alice", $"alice:{password}", "--bob", PeerScripts.Account("bob"), "--carol", $"carol:{wrongPassword}", "--body", body, "--sms", handset))
        {
            await ScenarioAssert.PassesAsync(peer, server, output, "^LOGIN alice ", "^AUTH-FAILED carol condition=not-authorized$", "^DELIVERED bob$", "^SENT dave sms$", "^PASS$");
        }

        // The body really went through the server: to the handset by SMS and into dave's offline store.
        var sms = Assert.Single(await network.ExpectInboxAsync(handset, 1, TimeSpan.FromSeconds(60), () => "\n--- server log:\n" + server.Log));
        Assert.Equal(body, sms.Text);
        await server.WaitForLogLineAsync(l => l.Contains("token:noc added user erin@localhost", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the API's change log");

        var log = server.Log;
        Assert.Contains("token:noc changed user alice@localhost (password)", log, StringComparison.Ordinal);
        foreach (var (what, secret) in new[] { ("password", password), ("wrong password", wrongPassword), ("token", token), ("wrong token", wrongToken), ("body", body), ("part of the body", unique + "-the meeting") })
        {
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"the {what} is in the {format} log:\n{log}");
        }

        // A secret's hash or encodings are no better: the token's base64 body and the password's base64 (as in SASL PLAIN) are absent too.
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), log, StringComparison.Ordinal);
        Assert.DoesNotContain(token["cvt_".Length..], log, StringComparison.Ordinal);
    }
}
