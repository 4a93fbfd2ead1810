using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Federation;
using Converge.Interop.Sms;
using Converge.Interop.Support;
using Converge.Testing;
using Xunit.Abstractions;

namespace Converge.Interop.Operations;

/// <summary>
/// <c>/metrics</c> as an operator uses it: scraped by a real Prometheus, checked by <c>promtool</c>, and
/// after a scripted scenario (logins, one failed; messages; an SMS through the simulated SMSC; a peer
/// provider's message refused by the agreement) the counters say exactly what happened (and nothing that did not).
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prometheus_scrapes_counters_that_match_a_scripted_scenario_and_promtool_accepts_the_exposition()
    {
        const string handset = "+4915110000099";
        await using var network = await SmscSimulator.StartAsync();
        await network.AddProviderAsync(SmsWorld.SystemId, SmsWorld.SmppPassword, "+4917000", "+4940555");
        var aPort = ConvergeServer.FreeTcpPort();
        var bPort = ConvergeServer.FreeTcpPort();

        // a.test grants b.test only Presence; b.test grants a.test everything, so b.test's user really
        // sends a message over the link and it is a.test's policy that refuses it (direction in).
        await using var server = await new ConvergeServer
        {
            XmppDomain = "a.test",
            ServerToServerPort = aPort,
            ExtraConfig = new JsonObject
            {
                ["Sms"] = SmsWorld.SmsSection(network, SmsWorld.SystemId, ["+4940555000"]),
                ["Federation"] = new JsonObject { ["Open"] = false },
                ["Agreements"] = new JsonObject
                {
                    ["b.test"] = new JsonObject { ["Address"] = $"127.0.0.1:{bPort}", ["Features"] = new JsonArray("Presence") },
                },
            },
            ReadyWhen = [SmsWorld.SmppBound(SmsWorld.SystemId)],
        }.StartAsync();
        await using var peerServer = await new ConvergeServer
        {
            XmppDomain = "b.test",
            ServerToServerPort = bPort,
            Users = ["bob"],
            ExtraConfig = AgreementConfig.With(null, ("a.test", aPort, null)),
        }.StartAsync();
        await using var prometheus = await PrometheusServer.StartAsync("converge", server.HttpPort);

        await using (var peer = PeerScripts.StartPython(
            server, "metrics_scenario.py", "--domain", "a.test", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", "carol:not-her-password",
            "--remote", PeerScripts.Account("bob"), "--remote-domain", "b.test", "--remote-port", peerServer.ClientPort.ToString(CultureInfo.InvariantCulture), "--sms", handset))
        {
            await ScenarioAssert.PassesAsync(
                peer,
                server,
                output,
                "^LOGIN alice ",
                "^LOGIN bob ",
                "^AUTH-FAILED carol condition=not-authorized$",
                "^DELIVERED bob received 3 messages$",
                "^REFUSED bob@b\\.test condition=not-allowed$",
                "^REFUSED someone@nowhere\\.example condition=not-allowed$",
                "^SMS-SENT \\+4915110000099$",
                "^LOGIN remote ",
                "^PEER-REFUSED alice@a\\.test condition=not-allowed$",
                "^PASS$");
        }

        var sms = Assert.Single(await network.ExpectInboxAsync(handset, 1, Settle, () => "\n--- server log:\n" + server.Log + "\n--- SMSC:\n" + network.Log));
        Assert.Equal(("alice to a phone", "+4940555000"), (sms.Text, sms.From));

        var expected = new (string Query, double Value)[]
        {
            ("up{job=\"converge\"}", 1),
            ("sum(converge_logins_total)", 2),
            ("converge_login_failures_total{reason=\"not-authorized\"}", 1),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"client\",route=\"local\"}", 3),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"client\",route=\"remote\"}", 2),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"client\",route=\"legacy\"}", 1),
            ("converge_stanzas_routed_total{kind=\"message\",origin=\"peer\",route=\"local\"}", 1),
            ("converge_agreement_refusals_total{peer=\"b.test\",direction=\"out\",reason=\"messaging\"}", 1),
            ("converge_agreement_refusals_total{peer=\"other\",direction=\"out\",reason=\"no_agreement\"}", 1),
            ("converge_agreement_refusals_total{peer=\"b.test\",direction=\"in\",reason=\"messaging\"}", 1),
            ("sum(converge_agreement_refusals_total{direction=\"in\"})", 1),
            ("converge_peer_stanzas_total{peer=\"b.test\",direction=\"in\"}", 1),
            ("converge_interworking_decisions_total{channel=\"sms\",reason=\"not_subscriber\"}", 1),
            ("converge_interworking_submits_total{channel=\"sms\"}", 1),
            ("sum(converge_interworking_permanent_failures_total) or vector(0)", 0),
            ("converge_interworking_outbox_depth{channel=\"sms\"}", 0),
            ("converge_interworking_pool_bindings{channel=\"sms\"}", 1),
            ("converge_interworking_pool_numbers{channel=\"sms\"}", 1),
            ("sum(converge_sessions)", 0),
            ($"count(target_info{{node=\"{Environment.MachineName}\"}})", 1),
        };
        var failures = new List<string>();
        foreach (var (query, value) in expected)
        {
            var seen = await prometheus.WaitForValueAsync(query, value, Settle);
            if (seen != value)
            {
                failures.Add($"{query}: expected {value}, Prometheus has {seen?.ToString(CultureInfo.InvariantCulture) ?? "no series"}");
            }
        }

        // Nothing went by email: that series must not exist at all.
        Assert.Null(await prometheus.QueryAsync("sum(converge_interworking_submits_total{channel=\"email\"})"));
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
        Assert.DoesNotContain(handset, exposition, StringComparison.Ordinal);
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
