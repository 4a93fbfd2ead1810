using System.Diagnostics;
using System.Text.Json.Nodes;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>
/// <c>/metrics</c> as an operator uses it: scraped by a real Prometheus, checked by <c>promtool</c>, and
/// after a scripted scenario the counters say exactly what happened (and nothing that did not).
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prometheus_scrapes_counters_that_match_a_scripted_scenario_and_promtool_accepts_the_exposition()
    {
        await using var server = await new ConvergeServer
        {
            ExtraConfig = new JsonObject
            {
                ["Agreements"] = new JsonObject
                {
                    ["b.example"] = new JsonObject { ["Address"] = "127.0.0.1:9", ["Features"] = new JsonArray("Presence") },
                },
            },
        }.StartAsync();
        await using var prometheus = await PrometheusServer.StartAsync("converge", server.HttpPort);

        await using (var peer = PeerScripts.StartPython(
            server, "metrics_scenario.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", "carol:not-her-password"))
        {
            await ScenarioAssert.PassesAsync(
                peer,
                server,
                output,
                "^LOGIN alice ",
                "^LOGIN bob ",
                "^AUTH-FAILED carol condition=not-authorized$",
                "^DELIVERED bob received 3 messages$",
                "^REFUSED bob@b.example condition=not-allowed$",
                "^REFUSED someone@nowhere.example condition=not-allowed$",
                "^PASS$");
        }

        var expected = new (string Query, double Value)[]
        {
            ("up{job=\"converge\"}", 1),
            ("sum(converge_logins_total)", 2),
            ("converge_login_failures_total{reason=\"not-authorized\"}", 1),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"client\",route=\"local\"}", 3),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"client\",route=\"remote\"}", 2),
            ("converge_agreement_refusals_total{peer=\"b.example\",direction=\"out\",reason=\"messaging\"}", 1),
            ("converge_agreement_refusals_total{peer=\"other\",direction=\"out\",reason=\"no_agreement\"}", 1),
            ("sum(converge_agreement_refusals_total{direction=\"in\"}) or vector(0)", 0),
            ("converge_peer_link_state{peer=\"b.example\",state=\"Idle\"}", 1),
            ("sum(converge_sessions)", 0),
            ("converge_interworking_outbox_depth{channel=\"sms\"}", 0),
        };
        var failures = new List<string>();
        foreach (var (query, value) in expected)
        {
            var seen = await prometheus.WaitForValueAsync(query, value, Settle);
            if (seen != value)
            {
                failures.Add($"{query}: expected {value}, Prometheus has {seen?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no series"}");
            }
        }

        // Nothing came from a peer, nothing went by SMS: those series must not exist at all.
        Assert.Null(await prometheus.QueryAsync("sum(converge_stanzas_routed_total{origin=\"peer\"})"));
        Assert.Null(await prometheus.QueryAsync("sum(converge_interworking_submits_total)"));
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n--- server log:\n" + server.Log + "\n--- prometheus:\n" + prometheus.Log);

        // Histograms of the grouped commits exist with their buckets; the runtime's figures are there.
        Assert.True(await prometheus.QueryAsync("sum(converge_storage_commit_size_count)") > 0);
        Assert.NotNull(await prometheus.QueryAsync("sum(converge_storage_commit_duration_seconds_bucket{le=\"+Inf\"})"));
        Assert.NotNull(await prometheus.QueryAsync("dotnet_gc_heap_total_allocated_bytes_total"));

        using var http = new HttpClient();
        var exposition = await http.GetStringAsync($"http://127.0.0.1:{server.HttpPort}/metrics");
        var (exitCode, promtool) = await PromtoolCheckAsync(exposition);
        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{promtool}\n--- exposition:\n{exposition}");
        Assert.DoesNotContain("alice@", exposition, StringComparison.Ordinal);
        Assert.DoesNotContain("nowhere.example", exposition, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var promtool = Process.Start(start)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (promtool.ExitCode, await stdout + await stderr);
    }
}
