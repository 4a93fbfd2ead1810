using System.Runtime.CompilerServices;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// Where the email test files are: next to the test sources (found through the compiler's caller
/// path), or copied next to the test assembly when the project copies them.
/// </summary>
internal static class EmailTestPaths
{
    public static string Corpus => Locate("Corpus");

    public static string Peers => Locate("Peers");

    private static string Locate(string folder, [CallerFilePath] string source = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Email", folder);
        if (Directory.Exists(copied))
        {
            return copied;
        }

        var besideSource = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source)!)!, folder);
        return Directory.Exists(besideSource)
            ? besideSource
            : throw new DirectoryNotFoundException($"Email test folder '{folder}' not found (looked in {copied} and {besideSource})");
    }
}
