using Converge.Cli;

namespace Converge.Tests.Cli;

/// <summary>Runs the <c>converge</c> entry point in-process against a temp directory's configuration.</summary>
internal sealed class ConvergeCli(TempDirectory directory)
{
    public string ConfigPath { get; } = directory.Write("converge.json", """{ "Domain": "a.example", "DataDirectory": "data" }""");

    public string DataDirectory => directory.File("data");

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Runs <c>converge args --config ConfigPath</c>; <paramref name="input"/> is standard input (not a terminal).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CommandLineContext
        {
            Input = new StringReader(input),
            Output = output,
            Error = error,
            Environment = Environment,
        };

        var exitCode = await Program.RunAsync([.. args, "--config", ConfigPath], context, CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
