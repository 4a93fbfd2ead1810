namespace Converge.Bench.Results;

/// <summary>One figure of a scenario. <see cref="Better"/> is "higher", "lower" or "" (informational).</summary>
internal sealed record Metric(string Name, double? Value, string Unit, string Better = "");

/// <summary>What one scenario against one server measured; serialised as the JSON output.</summary>
internal sealed class ScenarioResult
{
    public required string Scenario { get; init; }

    public required string Server { get; init; }

    public required DateTimeOffset Started { get; init; }

    /// <summary>False for scenarios whose server feature does not exist yet.</summary>
    public bool Available { get; init; } = true;

    /// <summary>Why a scenario is unavailable, or what to know when reading its figures.</summary>
    public List<string> Notes { get; } = [];

    public Dictionary<string, string> Parameters { get; } = [];

    public List<Metric> Metrics { get; } = [];

    public void Add(string name, double value, string unit, string better = "") =>
        Metrics.Add(new Metric(name, double.IsFinite(value) ? Math.Round(value, 4) : null, unit, better));
}
