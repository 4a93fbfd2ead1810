using System.CommandLine;
using System.CommandLine.Invocation;
using Converge.Hosting;

namespace Converge.Cli;

/// <summary>
/// <c>--version</c> prints this assembly's version. The built-in action prints the entry
/// assembly's, which is the test host's when the command line runs in-process.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(ConvergeVersion.Text);
        return ExitCodes.Success;
    }
}
