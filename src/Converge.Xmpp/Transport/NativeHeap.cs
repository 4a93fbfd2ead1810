using System.Runtime.InteropServices;

namespace Converge.Xmpp.Transport;

/// <summary>
/// Gives the C heap's free pages back to the system (glibc <c>malloc_trim</c>). A TLS handshake
/// allocates and frees tens of kilobytes inside OpenSSL; glibc keeps freed pages that sit between
/// live allocations (other connections' state), so after a burst of logins the process holds
/// memory no connection uses (~4 KiB per session measured, docs/benchmarks.md fifth session).
/// </summary>
internal static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>False where there is no glibc (another C library, another system): nothing is done there.</summary>
    public static bool Trim()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
