using System.Globalization;
using System.Text.RegularExpressions;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// Three real <c>converge serve</c> processes on loopback: a.test and b.test with an agreement both ways
/// (each naming the other's number range), and c.test, which A has no agreement with. c.test lists
/// a.test in its own config, so carol's message really reaches A's server-to-server listener and it
/// is A's policy that refuses it, not c.test's.
/// </summary>
public sealed class TwoConvergeProviders : IAsyncLifetime
{
    public const string BobsNumber = "+4930123456";

    // Every listener port is fixed before any server starts, so each agreement can name its peer's.
    private readonly int _aServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _bServerPort = ConvergeServer.FreeTcpPort();
    private readonly int _cServerPort = ConvergeServer.FreeTcpPort();

    internal ConvergeServer A { get; private set; } = null!;

    internal ConvergeServer B { get; private set; } = null!;

    internal ConvergeServer C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = new ConvergeServer
        {
            XmppDomain = "a.test",
            ServerToServerPort = _aServerPort,
            ExtraConfig = AgreementConfig.With("+4940", ("b.test", _bServerPort, "+4930")),
        };
        B = new ConvergeServer
        {
            XmppDomain = "b.test",
            ServerToServerPort = _bServerPort,
            ExtraConfig = AgreementConfig.With("+4930", ("a.test", _aServerPort, "+4940")),
            UserOptions = new Dictionary<string, IReadOnlyList<string>> { ["bob"] = ["--msisdn", BobsNumber] },
        };
        C = new ConvergeServer
        {
            XmppDomain = "c.test",
            ServerToServerPort = _cServerPort,
            ExtraConfig = AgreementConfig.With("+4920", ("a.test", _aServerPort, "+4940")),
        };

        // One after the other: three starts at once on two cores only slow each other down.
        await A.InitializeAsync();
        await B.InitializeAsync();
        await C.InitializeAsync();
    }

    internal string Logs() => $"--- a.test:\n{A.Log}\n--- b.test:\n{B.Log}\n--- c.test:\n{C.Log}";

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { C, B, A })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}

/// <summary>Seed 000's normal flow between two Converge providers, with real slixmpp clients on both sides.</summary>
public sealed class TwoConvergeProvidersTests(TwoConvergeProviders providers, ITestOutputHelper output) : IClassFixture<TwoConvergeProviders>
{
    private const string BobAtA = TwoConvergeProviders.BobsNumber + "@a.test";

    [Fact]
    public async Task Alice_adds_bob_by_number_and_they_subscribe_see_presence_and_chat_under_that_address()
    {
        await PassesAsync(
            ["flow", "--alice", Account(providers.A, "alice"), "--bob", Account(providers.B, "bob"), "--bob-number", TwoConvergeProviders.BobsNumber],
            "^LOGIN alice .*tls=True mechanism=SCRAM-",
            "^LOGIN bob .*tls=True mechanism=SCRAM-",
            "^SUBSCRIBE-REQUEST bob from=alice@a\\.test$",
            $"^SUBSCRIBED alice by={Regex.Escape(BobAtA)}$",
            $"^SUBSCRIBE-REQUEST alice from={Regex.Escape(BobAtA)}$",
            "^SUBSCRIBED bob by=alice@a\\.test$",
            $"^ROSTER alice {Regex.Escape(BobAtA)}=both$",
            "^ROSTER bob alice@a\\.test=both$",
            $"^PRESENCE alice sees {Regex.Escape(BobAtA)} available status='bob on the train'$",
            "^PRESENCE bob sees alice@a\\.test available status='alice at her desk'$",
            "^ORDERED bob received 10 messages from alice@a\\.test in order$",
            $"^ORDERED alice received 10 messages from {Regex.Escape(BobAtA)} in order$",
            "^PASS$");
    }

    [Fact]
    public async Task A_message_from_a_provider_without_an_agreement_does_not_arrive_and_its_sender_gets_an_error()
    {
        await PassesAsync(
            ["stranger", "--carol", Account(providers.C, "carol"), "--alice", Account(providers.A, "alice")],
            "^LOGIN alice ",
            "^LOGIN carol ",
            // c.test bounces it on alice's behalf once a.test has refused the link at stream level:
            // a failed negotiation (RFC 6120 §8.3.3.17), permanent, so not worth retrying.
            "^ERROR carol from=alice@a\\.test type=cancel condition=remote-server-timeout ",
            "^NOTHING alice received no message$",
            "^PASS$");

        Assert.Contains("closed with stream error not-authorized: There is no interconnection agreement with c.test", providers.A.Log, StringComparison.Ordinal);
        Assert.Contains("a.test closed the stream with <not-authorized/>", providers.C.Log, StringComparison.Ordinal);
    }

    private async Task PassesAsync(string[] arguments, params string[] expected)
    {
        var script = Path.Combine(PeerServerFiles.PeersDirectory, "python", "seed000_two_providers.py");
        await using var peer = ChildProcess.Start(
            "/usr/bin/python3",
            [script, .. arguments],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        var exitCode = await peer.WaitForExitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"$ {peer.Description}\n(exit {exitCode})\n{peer.Output.Text}");
        string Context() => $"\n--- scenario:\n{peer.Output.Text}\n{providers.Logs()}";
        Assert.True(exitCode == 0, $"the scenario exited with {exitCode}{Context()}");

        var lines = peer.Output.StdoutLines;
        var next = 0;
        foreach (var pattern in expected)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var found = lines.Skip(next).Select((line, index) => (line, index)).FirstOrDefault(l => regex.IsMatch(l.line));
            Assert.True(found.line is not null, $"no line matching /{pattern}/ after line {next}{Context()}");
            next += found.index + 1;
        }
    }

    private static string Account(ConvergeServer server, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.ClientPort}:{server.XmppDomain}:{user}:{ConvergeServer.Password}");
}
