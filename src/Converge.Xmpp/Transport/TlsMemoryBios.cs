using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Converge.Xmpp.Transport;

/// <summary>
/// Gives back the buffers of the two memory BIOs through which .NET's <see cref="SslStream"/> drives
/// OpenSSL on Linux (<c>BIO_s_mem</c>: the runtime writes each received TLS record into one and reads
/// each record to send out of the other). A memory BIO's buffer only ever grows: it keeps the size
/// of the largest record or handshake flight it once held - up to ~22 KiB per direction after a
/// large roster, a vCard with an avatar or a MAM page - for the life of the connection, even when
/// it is empty. Swapping in a fresh, empty buffer (<c>BIO_set_mem_buf</c>, which frees the old one)
/// while nothing is pending costs one small allocation the next time a record passes.
/// <para>
/// The runtime calls OpenSSL for a connection only while holding the stream's private
/// <c>_handshakeLock</c> (both encryption and decryption), so the swap takes the same lock; the SSL
/// handle is reference-counted meanwhile so a concurrent dispose cannot free it under us. Both are
/// read through reflection once per connection; on a runtime where they are not found (or not
/// Linux, or not OpenSSL 3) <see cref="For"/> returns null and the connection keeps its buffers.
/// </para>
/// </summary>
internal sealed class TlsMemoryBios
{
    private const int BioCtrlPending = 10;        // BIO_CTRL_PENDING: bytes waiting to be read
    private const int BioCSetBufMem = 114;        // BIO_C_SET_BUF_MEM (BIO_set_mem_buf)
    private const int BioCGetBufMemPtr = 115;     // BIO_C_GET_BUF_MEM_PTR (BIO_get_mem_ptr)
    private const int BioTypeMem = 1 | 0x0400;    // BIO_TYPE_MEM: BIO_TYPE_SOURCE_SINK | 1
    private const int BioClose = 1;

    private static readonly FieldInfo? SecurityContextField = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance)
        : null;

    // A field in older runtimes; in .NET 8 to 10 a property returning the stream's (readonly) authentication options.
    private static readonly Func<SslStream, object?>? HandshakeLock = OperatingSystem.IsLinux() ? FindHandshakeLock() : null;

    private static bool _unavailable = SecurityContextField is null || HandshakeLock is null;
    private static long _released;

    private readonly SafeHandle _ssl;
    private readonly object _sync;

    private TlsMemoryBios(SafeHandle ssl, object sync)
    {
        _ssl = ssl;
        _sync = sync;
    }

    /// <summary>BIO buffers freed since the process started (what the tests and the bench look at).</summary>
    public static long Released => Interlocked.Read(ref _released);

    /// <summary>The OpenSSL handle and lock of an authenticated stream, or null where they cannot be reached.</summary>
    public static TlsMemoryBios? For(SslStream tls)
    {
        if (_unavailable)
        {
            return null;
        }

        return SecurityContextField!.GetValue(tls) is SafeHandle { IsInvalid: false } ssl
            && ssl.GetType().Name == "SafeSslHandle"
            && HandshakeLock!(tls) is { } sync
            ? new TlsMemoryBios(ssl, sync)
            : null;
    }

    /// <summary>
    /// Frees both BIO buffers when they hold nothing (a record half-read or not yet sent stays where
    /// it is). Returns how many were freed. Safe to call at any time from any thread.
    /// </summary>
    public int ReleaseEmpty()
    {
        if (_unavailable || _ssl.IsClosed)
        {
            return 0;
        }

        var added = false;
        try
        {
            _ssl.DangerousAddRef(ref added);
            lock (_sync)
            {
                var ssl = _ssl.DangerousGetHandle();
                var freed = ReleaseIfEmpty(SslGetReadBio(ssl)) + ReleaseIfEmpty(SslGetWriteBio(ssl));
                if (freed > 0)
                {
                    Interlocked.Add(ref _released, freed);
                }

                return freed;
            }
        }
        catch (ObjectDisposedException)
        {
            return 0; // disposed between the check and the reference: nothing left to free
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // not the OpenSSL 3 this was written for: leave every connection as it is
            return 0;
        }
        finally
        {
            if (added)
            {
                _ssl.DangerousRelease();
            }
        }
    }

    private static Func<SslStream, object?>? FindHandshakeLock()
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        if (typeof(SslStream).GetField("_handshakeLock", Private) is { } field)
        {
            return field.GetValue;
        }

        return typeof(SslStream).GetProperty("_handshakeLock", Private) is { CanRead: true } property ? property.GetValue : null;
    }

    private static int ReleaseIfEmpty(IntPtr bio)
    {
        if (bio == IntPtr.Zero || BioMethodType(bio) != BioTypeMem || BioCtrl(bio, BioCtrlPending, 0, IntPtr.Zero) != 0)
        {
            return 0;
        }

        // BUF_MEM is public and stable (openssl/buffer.h): size_t length; char *data; size_t max; ...
        if (BioGetMemPtr(bio, BioCGetBufMemPtr, 0, out var memory) <= 0 || memory == IntPtr.Zero)
        {
            return 0;
        }

        var length = (nuint)Marshal.ReadIntPtr(memory, 0);
        var capacity = (nuint)Marshal.ReadIntPtr(memory, 2 * IntPtr.Size);
        if (length != 0 || capacity == 0)
        {
            return 0;
        }

        var fresh = BufMemNew();
        if (fresh == IntPtr.Zero)
        {
            return 0;
        }

        BioCtrl(bio, BioCSetBufMem, BioClose, fresh); // frees the old buffer (the BIO owns it: BIO_CLOSE)
        return 1;
    }

    [DllImport("libssl.so.3", EntryPoint = "SSL_get_rbio")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr SslGetReadBio(IntPtr ssl);

    [DllImport("libssl.so.3", EntryPoint = "SSL_get_wbio")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr SslGetWriteBio(IntPtr ssl);

    [DllImport("libcrypto.so.3", EntryPoint = "BIO_method_type")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int BioMethodType(IntPtr bio);

    [DllImport("libcrypto.so.3", EntryPoint = "BIO_ctrl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long BioCtrl(IntPtr bio, int command, long argument, IntPtr pointer);

    [DllImport("libcrypto.so.3", EntryPoint = "BIO_ctrl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long BioGetMemPtr(IntPtr bio, int command, long argument, out IntPtr memory);

    [DllImport("libcrypto.so.3", EntryPoint = "BUF_MEM_new")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr BufMemNew();
}
