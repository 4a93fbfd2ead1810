using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Converge.Xmpp.Transport;

/// <summary>
/// Lets OpenSSL give back a TLS connection's record buffers while it is idle
/// (<c>SSL_MODE_RELEASE_BUFFERS</c>): without it every connection keeps a read and a write buffer of
/// ~17 KiB each for its whole life, which is most of what an idle session costs (docs/benchmarks.md,
/// fifth session). nginx, HAProxy, Dovecot and Prosody (LuaSec) set the same mode; the buffers are
/// allocated again for the next record, which a busy connection never notices.
/// SslStream does not expose its OpenSSL handle, so it is read from its private field; if a runtime
/// moves it, nothing is changed and the connection works as before, only with its buffers.
/// </summary>
internal static class TlsIdleBuffers
{
    private const int SslCtrlMode = 33;           // SSL_CTRL_MODE: ORs the given bits into the mode
    private const long SslModeReleaseBuffers = 0x10;

    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance)
        : null;

    private static bool _unavailable = SecurityContext is null;

    /// <summary>
    /// Call right after the handshake, before the stream is read or written by anyone else: the mode
    /// must not change under an OpenSSL call in flight on another thread.
    /// </summary>
    public static bool Release(SslStream tls)
    {
        if (_unavailable || SecurityContext!.GetValue(tls) is not SafeHandle { IsInvalid: false, IsClosed: false } context
            || context.GetType().Name != "SafeSslHandle")
        {
            return false;
        }

        var added = false;
        try
        {
            context.DangerousAddRef(ref added);
            SslCtrl(context.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // not the OpenSSL 3 this was written for: leave every connection as it is
            return false;
        }
        finally
        {
            if (added)
            {
                context.DangerousRelease();
            }
        }
    }

    [DllImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long SslCtrl(IntPtr ssl, int command, long argument, IntPtr pointer);
}
