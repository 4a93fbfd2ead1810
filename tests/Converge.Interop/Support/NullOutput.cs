namespace Converge.Interop.Support;

/// <summary>Discards what a scenario would write to the test output (its failures still carry the whole log).</summary>
internal sealed class NullOutput : Xunit.Abstractions.ITestOutputHelper
{
    public void WriteLine(string message)
    {
    }

    public void WriteLine(string format, params object[] args)
    {
    }
}
