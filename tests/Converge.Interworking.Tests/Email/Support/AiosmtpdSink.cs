using System.Globalization;
using System.Text.Json;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>
/// A real receiving mail server: Debian's python3-aiosmtpd running Peers/aiosmtpd_sink.py, which
/// stores each message as N.eml + N.json, refuses recipients named reject* with 550 and defer* with 451.
/// </summary>
internal sealed class AiosmtpdSink : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly TempDirectory _directory;

    private AiosmtpdSink(PeerProcess process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Relay => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<AiosmtpdSink> StartAsync(bool tls = false, long? sizeLimit = null)
    {
        var directory = new TempDirectory();
        var arguments = new List<string> { Path.Combine(EmailTestPaths.Peers, "aiosmtpd_sink.py"), directory.Path };
        if (tls)
        {
            var (certificate, key) = TestCertificate.WritePem(directory.Path);
            arguments.Add(certificate);
            arguments.Add(key);
        }

        if (sizeLimit is { } size)
        {
            arguments.AddRange(["--size", size.ToString(CultureInfo.InvariantCulture)]);
        }

        var process = PeerProcess.Start("/usr/bin/python3", arguments);
        try
        {
            var ready = await process.WaitForLineAsync("READY ", TimeSpan.FromSeconds(15));
            return new AiosmtpdSink(process, directory, int.Parse(ready["READY ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The messages received so far: raw bytes and the envelope the sink saw.</summary>
    public IReadOnlyList<(byte[] Data, JsonElement Envelope)> Messages()
    {
        var messages = new List<(byte[], JsonElement)>();
        for (var n = 1; File.Exists(Path.Combine(_directory.Path, $"{n}.json")); n++)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory.Path, $"{n}.json")));
            messages.Add((File.ReadAllBytes(Path.Combine(_directory.Path, $"{n}.eml")), json.RootElement.Clone()));
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
