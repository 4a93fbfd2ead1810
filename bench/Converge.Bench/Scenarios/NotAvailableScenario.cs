using Converge.Bench.Results;

namespace Converge.Bench.Scenarios;

/// <summary>
/// A scenario of the issue whose server feature has not landed yet (federation, SMS, durable
/// storage): it reports itself as unavailable instead of measuring something else.
/// </summary>
internal sealed class NotAvailableScenario(string reason) : IScenario
{
    public Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var result = new ScenarioResult
        {
            Scenario = context.Options.Scenario,
            Server = context.Options.ServerName,
            Started = DateTimeOffset.UtcNow,
            Available = false,
        };
        result.Notes.Add(reason);
        return Task.FromResult(result);
    }
}
