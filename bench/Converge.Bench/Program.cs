using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Converge.Bench.Cli;
using Converge.Bench.Provisioning;
using Converge.Bench.Relay;
using Converge.Bench.Results;
using Converge.Bench.Scenarios;

namespace Converge.Bench;

internal static class Program
{
    private const string Usage = """
        converge-bench: XMPP load generator (see docs/benchmarks.md)

          converge-bench [run] --scenario NAME [options]    run one scenario against one server
          converge-bench relay --port P [--host H] [--cert PEM --key PEM]
                                                          the bare relay reference (TLS when a certificate is given)
          converge-bench provision --target converge|prosody --path PATH --domain D --users N
                                                          create the users in Converge's database / Prosody's data_path
          converge-bench dns --port P --srv DOMAIN=PORT[,DOMAIN=PORT...] [--host 127.0.0.1]
                                                          UDP DNS responder: SRV _xmpp-server._tcp.DOMAIN -> localhost:PORT

        scenarios: throughput presence login connections federation sms durable
        run options (defaults):
          --host 127.0.0.1 --port 5222 --domain localhost --server-name server
          --users 1000 --user-pattern user{0} --password-pattern pass{0}   ({0} = 1..users)
          --duration 20s --warmup 5s --window 10 [--rate MSG/S] --body-size 100
          --concurrency 32 --connections 10000 --source-addresses 8
          --contacts 20 --presence-window 1
          --server-pid PID (server CPU and memory from /proc)   --json FILE
          --relay [--relay-tls false]   (the target is `converge-bench relay`)
          --smsc-port P   (sms: the SMSC stub listens there; the server's SMSC must be 127.0.0.1:P)
          --ports P1,P2,... [--server-pids PID1,PID2,...]
                          (the nodes of one cluster: pair k logs in on nodes k and k+1 mod N, CPU summed)
          --peer-port P --peer-domain D [--peer-server-pid PID]
                          (federation: users 2k+1 log in on the second server at --host:P as userN@D)
        """;

    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
        var rest = command == "run" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? args : args[1..];
        try
        {
            return command switch
            {
                "run" => await RunAsync(RunOptions.Parse(new Arguments(rest)), cancel.Token).ConfigureAwait(false),
                "relay" => await RelayAsync(new Arguments(rest), cancel.Token).ConfigureAwait(false),
                "dns" => await DnsAsync(new Arguments(rest), cancel.Token).ConfigureAwait(false),
                "provision" => await ProvisionAsync(ProvisionOptions.Parse(new Arguments(rest)), cancel.Token).ConfigureAwait(false),
                "help" or "-h" => await HelpAsync(Console.Out, 0).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{command}'"),
            };
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return await HelpAsync(Console.Error, 2).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return 130;
        }
    }

    private static async Task<int> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var scenario = ScenarioCatalog.Find(options.Scenario)
            ?? throw new UsageException($"unknown scenario '{options.Scenario}' (one of {string.Join(", ", ScenarioCatalog.Names)})");
        Xmpp.BenchConnection.TraceFirst(options.Trace);
        ScenarioResult result;
        try
        {
            var context = new ScenarioContext(options, cancellationToken);
            var waited = await context.WaitForIdleServerAsync().ConfigureAwait(false);
            result = await scenario.RunAsync(context).ConfigureAwait(false);
            if (waited > TimeSpan.FromSeconds(5))
            {
                result.Notes.Add($"waited {waited.TotalSeconds:0} s for the server to become idle before starting");
            }
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"error: {options.Scenario} against {options.ServerName}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        ResultOutput.WriteTable(Console.Out, result);
        if (options.JsonPath is { } path)
        {
            await ResultOutput.WriteJsonAsync(path, result).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> RelayAsync(Arguments args, CancellationToken cancellationToken)
    {
        var host = args.String("host", "127.0.0.1");
        var port = args.Int("port", 5299);
        var cert = args.OptionalString("cert");
        var key = args.OptionalString("key");
        args.EnsureAllUsed();
        using var certificate = cert is null ? null : X509Certificate2.CreateFromPemFile(cert, key);
        await new RelayServer(new IPEndPoint(IPAddress.Parse(host), port), certificate).RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> DnsAsync(Arguments args, CancellationToken cancellationToken)
    {
        var host = args.String("host", "127.0.0.1");
        var port = args.Int("port", 5353);
        var services = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in args.String("srv", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.LastIndexOf('=');
            if (equals <= 0 || !int.TryParse(entry[(equals + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var serverPort) || serverPort is < 1 or > 65535)
            {
                throw new UsageException($"--srv: '{entry}' is not DOMAIN=PORT");
            }

            services[entry[..equals]] = serverPort;
        }

        args.EnsureAllUsed();
        if (services.Count == 0)
        {
            throw new UsageException("--srv: at least one DOMAIN=PORT");
        }

        await new Dns.SrvResponder(new IPEndPoint(IPAddress.Parse(host), port), services).RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ProvisionAsync(ProvisionOptions options, CancellationToken cancellationToken)
    {
        var created = options.Target == "converge"
            ? await ConvergeProvisioner.RunAsync(options, cancellationToken).ConfigureAwait(false)
            : await ProsodyProvisioner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"{options.Target}: {created} users created ({options.Users - created} existed)").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> HelpAsync(TextWriter output, int exitCode)
    {
        await output.WriteLineAsync(Usage).ConfigureAwait(false);
        return exitCode;
    }
}
