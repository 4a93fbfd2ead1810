using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Web;

/// <summary>HTTP File Upload (XEP-0363) with slixmpp's xep_0363 plugin: the limits, the quota, the slots' rules, a restart.</summary>
public sealed class FileUploadTests(ITestOutputHelper output)
{
    private const int MaxFileSize = 100_000;
    private const int Quota = 300_000;

    [Fact]
    public async Task Slixmpp_uploads_gets_it_back_identical_and_is_held_to_size_quota_and_slot_rules_across_a_restart()
    {
        await using var server = await new ConvergeServer
        {
            Users = ["alice", "bob"],
            ExtraConfig = new JsonObject { ["Upload"] = UploadConfig() },
        }.StartAsync();
        await UploadAcrossRestartAsync(server, output);
    }

    /// <summary>The Upload section the scenario expects (its limits).</summary>
    internal static JsonObject UploadConfig() => new() { ["MaxFileSize"] = MaxFileSize, ["QuotaBytesPerUser"] = Quota };

    /// <summary>The scenario on a started server with alice, bob and <see cref="UploadConfig"/> (also run on PostgreSQL).</summary>
    internal static async Task UploadAcrossRestartAsync(ConvergeServer server, ITestOutputHelper output)
    {
        await using var alice = PeerScripts.StartPython(server, "upload.py", Arguments());
        var lines = await PassesAsync(alice, server, output,
            "^SERVICE upload\\.localhost$",
            $"^MAX-FROM-DISCO {MaxFileSize}$",
            $"^GET status=200 identical=True type=image/png disposition=inline nosniff=nosniff cors=\\*$",
            "^BOB-GOT oob=True$",
            "^PUT unknown=404 wrong-size=400 wrong-type=415 ok=201 again=409$",
            "^GET-TEXT body=0123456789 disposition=attachment$",
            "^PREFLIGHT status=204 methods=GET, HEAD, PUT, OPTIONS origin=\\*$",
            $"^TOO-LARGE condition=not-acceptable max-file-size={MaxFileSize}$",
            // 50,000 + 10 bytes held: two more slots of 100,000 fit in 300,000, the third does not.
            "^QUOTA granted=2 condition=resource-constraint type=wait$");
        var url = Value(lines, "^URL (.+)$");
        var sha = Value(lines, "^SHA256 ([0-9a-f]+)$");
        Assert.StartsWith($"http://127.0.0.1:{server.HttpPort}/upload/", url, StringComparison.Ordinal);

        await server.KillAsync();
        await server.RestartAsync();

        using (var http = new HttpClient())
        {
            var body = await http.GetByteArrayAsync(new Uri(url));
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(body)));
        }

        // The quota counts what was uploaded before the restart, from storage.
        await using var again = PeerScripts.StartPython(server, "upload.py", [.. Arguments(), "--after-restart"]);
        await PassesAsync(again, server, output, "^QUOTA-AFTER-RESTART condition=resource-constraint max-file-size=None$");
    }

    private static string[] Arguments() =>
        ["--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"),
         "--max", MaxFileSize.ToString(CultureInfo.InvariantCulture), "--quota", Quota.ToString(CultureInfo.InvariantCulture)];

    private static async Task<IReadOnlyList<string>> PassesAsync(ChildProcess peer, ConvergeServer server, ITestOutputHelper output, params string[] expected)
    {
        await ScenarioAssert.PassesAsync(peer, server, output, [.. expected, "^PASS$"]);
        return peer.Output.StdoutLines;
    }

    private static string Value(IReadOnlyList<string> lines, string pattern) =>
        lines.Select(l => Regex.Match(l, pattern)).Single(m => m.Success).Groups[1].Value;
}
