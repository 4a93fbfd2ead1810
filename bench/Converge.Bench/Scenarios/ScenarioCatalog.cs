namespace Converge.Bench.Scenarios;

/// <summary>The scenarios by name, as given to --scenario.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["throughput", "presence", "login", "connections", "federation", "sms", "durable"];

    public static IScenario? Find(string name) => name switch
    {
        "throughput" => new ThroughputScenario(),
        "presence" => new PresenceScenario(),
        "login" => new LoginScenario(),
        "connections" => new ConnectionsScenario(),
        "federation" => new ThroughputScenario(),
        "sms" => new SmsScenario(),
        "durable" => new DurableScenario(),
        _ => null,
    };
}
