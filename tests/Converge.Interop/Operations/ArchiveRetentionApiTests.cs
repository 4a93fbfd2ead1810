using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>An operator runs archive retention now through the admin API and reads the last pass back.</summary>
public sealed class ArchiveRetentionApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_retention_pass_run_through_the_api_removes_real_archived_messages_and_is_reported_with_who_ran_it()
    {
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Archive"] = new JsonObject { ["Retention"] = "00:00:01" } },
        }.StartAsync();
        var admin = (await server.RunOperatorCommandAsync("admin", "token", "add", "noc"))[^1];
        var reader = (await server.RunOperatorCommandAsync("admin", "token", "add", "viewer", "--scope", "read"))[^1];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader);

        // The hourly pass runs at start, over an empty archive.
        await server.WaitForLogLineAsync(l => l.Contains("Archive retention (schedule): 0 archived messages", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the retention pass at start");
        var atStart = (await http.GetFromJsonAsync<JsonObject>("/api/archive/retention"))!;
        Assert.Equal(1, (double)atStart["period"]!);
        Assert.Equal("schedule", (string)atStart["last"]!["trigger"]!);

        await using (var peer = PeerScripts.StartPython(
            server, "secrets_scenario.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", "carol:wrong", "--body", "kept one second", "--sms", "+4915110000011"))
        {
            await ScenarioAssert.PassesAsync(peer, server, output, "^DELIVERED bob$", "^PASS$");
        }

        // Not an assertion: the clock must pass the one-second period for what was just archived.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var refused = await http.PostAsJsonAsync("/api/archive/retention", new { });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var first = await (await http.PostAsJsonAsync("/api/archive/retention", new { })).Content.ReadFromJsonAsync<JsonObject>();
        var second = await (await http.PostAsJsonAsync("/api/archive/retention", new { })).Content.ReadFromJsonAsync<JsonObject>();
        var last = (await http.GetFromJsonAsync<JsonObject>("/api/archive/retention"))!["last"]!;

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("token:noc", (string)first!["trigger"]!);
        Assert.True((int)first["deleted"]! >= 2, $"deleted {(int)first["deleted"]!}: alice's and bob's copies of the delivered message at least\n{server.Log}");
        Assert.Null(first["error"]);
        Assert.Equal(0, (int)second!["deleted"]!);
        Assert.Equal((string)second["started"]!, (string)last["started"]!);
        Assert.Contains($"Admin API: token:noc ran archive retention ({(int)first["deleted"]!} archived messages removed)", server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_archive_retention_configured_a_run_is_refused_with_409_and_nothing_is_reported()
    {
        await using var server = await new ConvergeServer().StartAsync();
        var admin = (await server.RunOperatorCommandAsync("admin", "token", "add", "noc"))[^1];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);

        using var run = await http.PostAsJsonAsync("/api/archive/retention", new { });
        var view = (await http.GetFromJsonAsync<JsonObject>("/api/archive/retention"))!;

        Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        Assert.Null(view["period"]);
        Assert.Null(view["last"]);
    }
}
