namespace Converge.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was refused or failed (unknown user, port taken ...).</summary>
    public const int Failure = 1;

    /// <summary>The configuration was refused; nothing was started or changed.</summary>
    public const int Configuration = 2;
}
