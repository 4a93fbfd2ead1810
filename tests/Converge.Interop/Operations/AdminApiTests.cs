using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Converge.Interop.Support;

namespace Converge.Interop.Operations;

/// <summary>A server with an agreement and an admin account, and operator tokens made with the real CLI while it runs.</summary>
public sealed class AdminApiServer : IAsyncLifetime
{
    public ConvergeServer Server { get; } = new()
    {
        ExtraConfig = new JsonObject
        {
            ["Admin"] = new JsonObject { ["Accounts"] = new JsonArray("dave@localhost") },
            ["Agreements"] = new JsonObject
            {
                ["b.example"] = new JsonObject { ["Address"] = "127.0.0.1:9", ["Features"] = new JsonArray("Presence") },
            },
        },
    };

    public string AdminToken { get; private set; } = "";

    public string ReadToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();

        // Added while the server runs: it must see the token file change without a restart.
        AdminToken = (await Server.RunOperatorCommandAsync("admin", "token", "add", "ops", "--scope", "admin"))[^1];
        ReadToken = (await Server.RunOperatorCommandAsync("admin", "token", "add", "viewer", "--scope", "read"))[^1];
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class AdminApiTests(AdminApiServer fixture) : IClassFixture<AdminApiServer>
{
    /// <summary>Every endpoint of the admin API with the scope it needs; bodies harmless for the 401/403 rounds.</summary>
    public static readonly TheoryData<string, string, string?, string> Endpoints = new()
    {
        { "GET", "/api/status", null, "read" },
        { "GET", "/api/users?limit=2", null, "read" },
        { "POST", "/api/users", """{"jid":"nobody","password":"x"}""", "admin" },
        { "PATCH", "/api/users/carol@localhost", """{"cpmEnabled":true}""", "admin" },
        { "DELETE", "/api/users/nobody@localhost", null, "admin" },
        { "POST", "/api/users/carol@localhost/kick", "{}", "admin" },
        { "GET", "/api/sessions", null, "read" },
        { "GET", "/api/sessions/alice@localhost", null, "read" },
        { "POST", "/api/sessions/carol@localhost/kick", "{}", "admin" },
        { "GET", "/api/agreements", null, "read" },
        { "GET", "/api/agreements/b.example", null, "read" },
        { "POST", "/api/agreements/reload", "{}", "admin" },
        { "GET", "/api/outbox", null, "read" },
        { "GET", "/api/outbox/sms/lanes", null, "read" },
        { "POST", "/api/outbox/retry", """{"lane":"no-such-lane"}""", "admin" },
        { "POST", "/api/outbox/drop", """{"lane":"no-such-lane"}""", "admin" },
        { "GET", "/api/archive/retention", null, "read" },
        { "POST", "/api/archive/retention", "{}", "admin" },
        { "GET", "/api/openapi.json", null, "read" },
        { "GET", "/agreements", null, "read" },
    };

    private ConvergeServer Server => fixture.Server;

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_or_with_a_wrong_one_every_endpoint_answers_401_with_a_challenge(string method, string path, string? body, string scope)
    {
        _ = scope;
        using var http = Client();
        using var none = await http.SendAsync(Request(method, path, body, null));
        using var wrong = await http.SendAsync(Request(method, path, body, new AuthenticationHeaderValue("Bearer", fixture.AdminToken + "x")));
        using var unknownAccount = await http.SendAsync(Request(method, path, body, Basic("alice@localhost", ConvergeServer.Password)));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownAccount.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_read_token_reads_but_gets_403_where_a_change_needs_the_admin_scope(string method, string path, string? body, string scope)
    {
        using var http = Client();
        using var response = await http.SendAsync(Request(method, path, body, new AuthenticationHeaderValue("Bearer", fixture.ReadToken)));

        Assert.Equal(scope == "read" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_scope_adds_changes_kicks_and_removes_a_user_and_every_change_is_logged_with_who_did_it()
    {
        using var http = Client(new AuthenticationHeaderValue("Bearer", fixture.AdminToken));

        using var added = await http.PostAsJsonAsync("/api/users", new { jid = "erin", password = "pw-erin", msisdn = "+4915100000042" });
        using var duplicate = await http.PostAsJsonAsync("/api/users", new { jid = "erin", password = "pw" });
        using var changed = await http.PatchAsJsonAsync("/api/users/erin@localhost", new { email = "erin@mail.example", password = "new-secret-pw" });
        var page = await http.GetFromJsonAsync<JsonObject>("/api/users?filter=4915100000042");
        using var kicked = await http.PostAsJsonAsync("/api/users/erin@localhost/kick", new { });
        using var removed = await http.DeleteAsync("/api/users/erin@localhost");
        using var gone = await http.DeleteAsync("/api/users/erin@localhost");
        using var retried = await http.PostAsJsonAsync("/api/outbox/retry", new { lane = "no-such-lane" });
        using var reloaded = await http.PostAsJsonAsync("/api/agreements/reload", new { });
        var agreement = await http.GetFromJsonAsync<JsonObject>("/api/agreements/b.example");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(1, (int)page!["total"]!);
        Assert.Equal("erin@localhost", (string)page["users"]![0]!["jid"]!);
        Assert.Equal("erin@mail.example", (string)page["users"]![0]!["email"]!);
        Assert.Equal(HttpStatusCode.OK, kicked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, (int)(await retried.Content.ReadFromJsonAsync<JsonObject>())!["items"]!);
        Assert.Equal(1, (int)(await reloaded.Content.ReadFromJsonAsync<JsonObject>())!["agreements"]!);
        Assert.Equal(["Presence"], agreement!["features"]!.AsArray().Select(f => (string)f!));

        await Server.WaitForLogLineAsync(l => l.Contains("Admin API: token:ops removed user erin@localhost", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the removal's log line");
        var log = Server.Log;
        Assert.Contains("Admin API: token:ops added user erin@localhost", log, StringComparison.Ordinal);
        Assert.Contains("Admin API: token:ops changed user erin@localhost (password, email)", log, StringComparison.Ordinal);
        Assert.Contains("Admin API: token:ops reloaded the agreements", log, StringComparison.Ordinal);
        Assert.DoesNotContain("new-secret-pw", log, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.AdminToken, log, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.ReadToken, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_account_with_its_password_is_let_in_on_loopback_and_a_wrong_password_is_not()
    {
        using var http = Client();

        using var right = await http.SendAsync(Request("POST", "/api/outbox/drop", """{"lane":"none"}""", Basic("dave@localhost", ConvergeServer.Password)));
        using var wrong = await http.SendAsync(Request("GET", "/api/status", null, Basic("dave@localhost", "not-his")));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await Server.WaitForLogLineAsync(l => l.Contains("Admin API: account:dave@localhost dropped outbox lane none", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the drop's log line");
    }

    [Fact]
    public async Task Health_and_metrics_need_no_token_and_the_openapi_document_lists_the_api()
    {
        using var http = Client();
        using var reader = Client(new AuthenticationHeaderValue("Bearer", fixture.ReadToken));

        using var health = await http.GetAsync("/health");
        using var metrics = await http.GetAsync("/metrics");
        var openApi = await reader.GetFromJsonAsync<JsonObject>("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var paths = openApi!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/users", paths);
        Assert.Contains("/api/outbox/retry", paths);
        Assert.Contains("/api/agreements/{domain}", paths);
    }

    [Fact]
    public async Task The_public_listener_tells_a_stranger_nothing_about_the_agreements_but_an_operator_token_does()
    {
        using var stranger = Client();
        using var forged = Client(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("b.example:"))));
        using var reader = Client(new AuthenticationHeaderValue("Bearer", fixture.ReadToken));

        foreach (var path in new[] { "/agreements", "/AGREEMENTS", "/agreements/", "/api/agreements", "/api/status", "/api/openapi.json" })
        {
            using var anonymous = await stranger.GetAsync(path);
            using var wrong = await forged.GetAsync(path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path} without a token: {(int)anonymous.StatusCode}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.DoesNotContain("b.example", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("b.example", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var agreements = await reader.GetFromJsonAsync<JsonArray>("/agreements");
        Assert.Equal(["b.example"], agreements!.Select(a => (string)a!["domain"]!));

        // converge agreement show reads the live counters through the API with the token, and says why not without it.
        var shown = await Server.RunOperatorCommandAsync("agreement", "show", "b.example", "--token", fixture.ReadToken);
        var blind = await Server.RunOperatorCommandAsync("agreement", "show", "b.example");
        Assert.Contains(shown, l => l.StartsWith("refused outgoing:", StringComparison.Ordinal));
        Assert.Contains(blind, l => l.StartsWith("counters:          (the server wants an operator token", StringComparison.Ordinal));
        Assert.DoesNotContain(blind, l => l.StartsWith("refused outgoing:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cli_reads_through_the_api_with_a_token_and_is_refused_without_one()
    {
        var stats = await Server.RunOperatorCommandAsync("stats", "--token", fixture.ReadToken);
        var sessions = await Server.RunOperatorCommandAsync("session", "list", "--token", fixture.ReadToken);

        Assert.StartsWith("domain:           localhost", stats[0], StringComparison.Ordinal);
        Assert.Contains(stats, l => l.StartsWith("agreements:       1,", StringComparison.Ordinal));
        Assert.Equal("0 sessions", sessions[^1]);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Server.RunOperatorCommandAsync("stats"));
        Assert.Contains("401 unauthorized", refused.Message, StringComparison.Ordinal);
        var forbidden = await Assert.ThrowsAsync<InvalidOperationException>(() => Server.RunOperatorCommandAsync("agreement", "reload", "--token", fixture.ReadToken));
        Assert.Contains("403 forbidden", forbidden.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kicking_a_user_ends_that_users_real_session_with_policy_violation_and_leaves_another_online()
    {
        await using var alice = PeerScripts.StartPython(Server, "kicked_session.py", "--user", PeerScripts.Account("alice"));
        await using var bob = PeerScripts.StartPython(Server, "kicked_session.py", "--user", PeerScripts.Account("bob"));
        Assert.True(await alice.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), alice.Output.Text);
        Assert.True(await bob.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout), bob.Output.Text);
        using var http = Client(new AuthenticationHeaderValue("Bearer", fixture.ReadToken));
        var before = (await http.GetFromJsonAsync<JsonArray>("/api/sessions"))!;
        Assert.Equal(["alice@localhost", "bob@localhost"], before.Select(s => ((string)s!["jid"]!).Split('/')[0]));
        Assert.All(before, s => Assert.Equal("c2s", (string)s!["listener"]!));

        var kick = await Server.RunOperatorCommandAsync("session", "kick", "alice@localhost", "--token", fixture.AdminToken);

        Assert.Equal("ended 1 sessions of alice@localhost", kick[^1]);
        await ScenarioAssert.PassesAsync(alice, Server, new NullOutput(), "^KICKED condition=policy-violation$", "^PASS$");
        var after = await http.GetFromJsonAsync<JsonArray>("/api/sessions");
        Assert.Equal(["bob@localhost"], after!.Select(s => ((string)s!["jid"]!).Split('/')[0]));
        Assert.False(bob.HasExited, bob.Output.Text);
        await Server.RunOperatorCommandAsync("session", "kick", "bob@localhost", "--token", fixture.AdminToken);
        await ScenarioAssert.PassesAsync(bob, Server, new NullOutput(), "^KICKED condition=policy-violation$", "^PASS$");
    }

    private HttpClient Client(AuthenticationHeaderValue? authorization = null)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = authorization;
        return http;
    }

    private static HttpRequestMessage Request(string method, string path, string? body, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = authorization;
        return request;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
