using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Converge.Interop.Support;

namespace Converge.Interop.Operations;

/// <summary>With Listeners.Admin set, the operator's paths leave the public HTTP listener, whatever Host header a client sends.</summary>
public sealed class AdminListenerTests
{
    [Fact]
    public async Task Api_and_metrics_answer_only_on_the_admin_listener_and_health_on_both()
    {
        var adminPort = ConvergeServer.FreeTcpPort();
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject { ["Listeners"] = new JsonObject { ["Admin"] = $"127.0.0.1:{adminPort}" } },
        }.StartAsync();
        var token = (await server.RunOperatorCommandAsync("admin", "token", "add", "ops"))[^1];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        async Task<HttpStatusCode> GetAsync(int port, string path, string? host = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
            if (host is not null)
            {
                request.Headers.Host = host;
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync(adminPort, "/api/status"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(adminPort, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(adminPort, "/health"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(adminPort, "/agreements"));

        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/api/status"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/API/status"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/api/status", host: $"127.0.0.1:{adminPort}"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(server.HttpPort, "/health"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/agreements"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(server.HttpPort, "/Agreements", host: $"127.0.0.1:{adminPort}"));

        // The CLI finds the admin listener in the configuration by itself.
        var stats = await server.RunOperatorCommandAsync("stats", "--token", token);
        Assert.StartsWith("domain:           localhost", stats[0], StringComparison.Ordinal);
    }
}
