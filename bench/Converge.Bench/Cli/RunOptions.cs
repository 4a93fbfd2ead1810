using System.Globalization;

namespace Converge.Bench.Cli;

/// <summary>The options of a scenario run (`converge-bench run` or just `converge-bench --scenario ...`).</summary>
internal sealed record RunOptions
{
    public required string Scenario { get; init; }

    /// <summary>Label of the server in the results (converge, prosody, ejabberd, relay).</summary>
    public required string ServerName { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string Domain { get; init; }

    public required int Users { get; init; }

    /// <summary>Localpart of user n (1-based), "{0}" standing for n.</summary>
    public required string UserPattern { get; init; }

    public required string PasswordPattern { get; init; }

    public required TimeSpan Duration { get; init; }

    public required TimeSpan Warmup { get; init; }

    /// <summary>Unanswered messages each pair of users keeps in flight, half each way (throughput).</summary>
    public required int Window { get; init; }

    /// <summary>Offered rate of the fixed-rate run; null means half the measured peak.</summary>
    public double? Rate { get; init; }

    public required int BodySize { get; init; }

    /// <summary>Simultaneous logins (login scenario; connection set-up in the others).</summary>
    public required int Concurrency { get; init; }

    /// <summary>Idle sessions to open (connections scenario).</summary>
    public required int Connections { get; init; }

    /// <summary>How many 127.0.0.x source addresses to spread connections over (loopback targets only).</summary>
    public required int SourceAddresses { get; init; }

    /// <summary>Roster size of each user (presence scenario).</summary>
    public required int Contacts { get; init; }

    /// <summary>Presence changes each user keeps in flight (presence scenario).</summary>
    public required int PresenceWindow { get; init; }

    public int? ServerPid { get; init; }

    /// <summary>
    /// --ports P1,P2,...: the client ports of the nodes of one cluster serving <see cref="Domain"/>
    /// (same host). Pair k (users 2k, 2k+1) logs in on nodes k and k+1 (mod N), so every message
    /// crosses nodes. Without it: <see cref="Port"/> alone.
    /// </summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>--server-pids: the nodes' processes; their CPU and memory are summed with <see cref="ServerPid"/>'s.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    /// <summary>
    /// federation: the second provider's client port (same host). Users 2k+1 log in there, as
    /// user@<see cref="PeerDomain"/>, and their partners reach them over server-to-server.
    /// </summary>
    public int? PeerPort { get; init; }

    public string? PeerDomain { get; init; }

    /// <summary>The second provider's process: its CPU and memory are added to the server's.</summary>
    public int? PeerServerPid { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>The target is `converge-bench relay`, not an XMPP server: a fake handshake replaces login.</summary>
    public bool Relay { get; init; }

    /// <summary>Whether the relay expects TLS.</summary>
    public bool RelayTls { get; init; } = true;

    /// <summary>Port of the SMSC stub the sms scenario runs (the server's Sms.Smsc must point at it).</summary>
    public int? SmscPort { get; init; }

    /// <summary>Print the first this many elements the sessions receive (diagnosis).</summary>
    public int Trace { get; init; }

    public string UserName(int index) => string.Format(CultureInfo.InvariantCulture, UserPattern, index + 1);

    public string Password(int index) => string.Format(CultureInfo.InvariantCulture, PasswordPattern, index + 1);

    public static RunOptions Parse(Arguments args)
    {
        var options = new RunOptions
        {
            Scenario = args.String("scenario", "throughput"),
            ServerName = args.String("server-name", "server"),
            Host = args.String("host", "127.0.0.1"),
            Port = args.Int("port", 5222),
            Domain = args.String("domain", "localhost"),
            Users = args.Int("users", 1000, min: 2),
            UserPattern = args.String("user-pattern", "user{0}"),
            PasswordPattern = args.String("password-pattern", "pass{0}"),
            Duration = args.Duration("duration", TimeSpan.FromSeconds(20)),
            Warmup = args.Duration("warmup", TimeSpan.FromSeconds(5)),
            Window = args.Int("window", 10),
            Rate = args.OptionalDouble("rate"),
            BodySize = args.Int("body-size", 100, min: 24),
            Concurrency = args.Int("concurrency", 32),
            Connections = args.Int("connections", 10_000),
            SourceAddresses = args.Int("source-addresses", 8),
            Contacts = args.Int("contacts", 20),
            PresenceWindow = args.Int("presence-window", 1),
            ServerPid = args.OptionalInt("server-pid"),
            Ports = IntList(args.OptionalString("ports"), "ports"),
            ServerPids = IntList(args.OptionalString("server-pids"), "server-pids"),
            PeerPort = args.OptionalInt("peer-port"),
            PeerDomain = args.OptionalString("peer-domain"),
            PeerServerPid = args.OptionalInt("peer-server-pid"),
            JsonPath = args.OptionalString("json"),
            Relay = args.Flag("relay"),
            RelayTls = args.Flag("relay-tls", fallback: true),
            Trace = args.Int("trace", 0, min: 0),
            SmscPort = args.OptionalInt("smsc-port"),
        };
        args.EnsureAllUsed();
        if (options.Users % 2 != 0 && options.Scenario is "throughput" or "federation")
        {
            throw new UsageException($"--users must be even for the {options.Scenario} scenario (users talk in pairs)");
        }

        if ((options.Scenario == "federation") != (options.PeerPort is not null && options.PeerDomain is not null))
        {
            throw new UsageException("--peer-port and --peer-domain go with the federation scenario, which needs both");
        }

        if (options.Ports.Count > 0 && options.PeerPort is not null)
        {
            throw new UsageException("--ports (the nodes of one cluster) and --peer-port (a second provider) exclude each other");
        }

        return options;
    }

    private static int[] IntList(string? text, string name)
    {
        if (text is null)
        {
            return [];
        }

        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] is < 1 or > 4_194_304)
            {
                throw new UsageException($"--{name}: '{items[i]}' is not a port or process id");
            }
        }

        return values;
    }
}
