using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Converge.Cli;

namespace Converge.Tests.Cli;

public sealed class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serve_answers_health_stops_on_cancellation_and_reuses_its_certificate_on_the_next_start()
    {
        var httpPort = FreePort();
        var config = WriteConfig(client: "127.0.0.1:0", http: $"127.0.0.1:{httpPort}");
        var certificatePath = _dir.File("data/tls/cert.pem");

        var (firstExit, health) = await ServeUntilHealthyAsync(config, httpPort);
        using var first = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));
        var (secondExit, _) = await ServeUntilHealthyAsync(config, httpPort);
        using var second = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));

        Assert.Equal(0, firstExit);
        Assert.Equal(0, secondExit);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("a.example", health.GetProperty("domain").GetString());
        Assert.Equal(0, health.GetProperty("sessions").GetInt32());
        Assert.Equal("CN=a.example", first.Subject);
        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public async Task A_listener_port_already_taken_makes_serve_exit_1_with_one_line()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var config = WriteConfig(client: squatter.LocalEndpoint.ToString()!, http: "");
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["serve", "--config", config], Context(TextWriter.Null, error), CancellationToken.None)
            .WaitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: the server could not start: ", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_configuration_error_makes_serve_exit_2_before_creating_anything()
    {
        var config = WriteConfig(client: "127.0.0.1:99999", http: "");
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["serve", "--config", config], Context(TextWriter.Null, error), CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("configuration error: Listeners.Client: '127.0.0.1:99999' is not a valid host:port", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("data")));
    }

    private static async Task<(int ExitCode, JsonElement Health)> ServeUntilHealthyAsync(string config, int httpPort)
    {
        using var stop = new CancellationTokenSource();
        // A loaded machine can take seconds to answer the first request (JIT, TLS certificate made at start).
        using var http = new HttpClient { Timeout = StartTimeout };
        var serve = Task.Run(() => Program.RunAsync(["serve", "--config", config], Context(TextWriter.Null, TextWriter.Null), stop.Token));

        var deadline = DateTime.UtcNow + StartTimeout;
        JsonElement? health = null;
        while (health is null && !serve.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/health"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(50);
            }
        }

        await stop.CancelAsync();
        var exitCode = await serve.WaitAsync(StartTimeout);
        Assert.True(health.HasValue, $"serve did not answer /health (exit code {exitCode})");
        return (exitCode, health.Value);
    }

    private static CommandLineContext Context(TextWriter output, TextWriter error) =>
        new() { Input = TextReader.Null, Output = output, Error = error };

    private string WriteConfig(string client, string http) => _dir.Write("converge.json", $$"""
        {
          "Domain": "a.example",
          "DataDirectory": "data",
          "Listeners": { "Client": "{{client}}", "ClientDirectTls": "", "Server": "", "Http": "{{http}}" }
        }
        """);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
