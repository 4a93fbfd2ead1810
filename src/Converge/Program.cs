using System.CommandLine;
using Converge.Cli;

namespace Converge;

internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CommandLineContext.FromConsole(), CancellationToken.None);

    /// <summary>The whole command line, in-process: tests call this with their own writers and environment.</summary>
    internal static Task<int> RunAsync(string[] args, CommandLineContext context, CancellationToken cancellationToken)
    {
        var parse = ConvergeCommandLine.Create(context).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,

            // `serve` stops through the host's console lifetime (Ctrl-C, SIGTERM), which closes streams
            // cleanly; System.CommandLine's own handler would cut that short after two seconds.
            ProcessTerminationTimeout = null,
        };
        return parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>In-process run with no standard input and an empty environment.</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, new CommandLineContext { Input = TextReader.Null, Output = output, Error = error }, CancellationToken.None);
}
