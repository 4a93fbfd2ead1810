using Converge.Bench.Results;

namespace Converge.Bench.Scenarios;

/// <summary>One kind of load (throughput, presence, login, connections ...) run against one server.</summary>
internal interface IScenario
{
    Task<ScenarioResult> RunAsync(ScenarioContext context);
}
