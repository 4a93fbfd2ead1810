using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Server;
using Converge.Xmpp.Transport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Converge.Xmpp.Tests.Server;

/// <summary>A client that resets its connection while the server writes to it is one log line, not a stack trace.</summary>
public sealed class ConnectionResetLoggingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_that_resets_mid_write_is_logged_as_one_line_without_an_exception()
    {
        var log = new EntryLog();
        var directory = Path.Combine(Path.GetTempPath(), "converge-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var stores = await SqliteStores.OpenAsync(Path.Combine(directory, "test.db"));
        await stores.Accounts.CreateAsync(TestServer.NewAccount("alice", "secret-alice"));
        using var certificate = Certificate();
        var server = new XmppServer(
            new XmppServerOptions
            {
                Domain = TestServer.Domain,
                ClientEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                Certificate = certificate,
                Client = new ClientLimits { AuthFailuresBeforeDelay = 100000 },
            },
            stores,
            LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(log)));
        await server.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(server.BoundEndpoints[0]);
                await socket.SendAsync(Encoding.UTF8.GetBytes(
                    $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{TestServer.Domain}' version='1.0'>"
                    + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHdyb25n</auth>"));
                await Task.Delay(300); // the server has answered (features, failure) and waits for more

                // Reset (RST, not FIN): the server's read fails, and so does what it still writes
                // (the closing tag) and flushes when the connection is disposed.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }

            await Task.Delay(1000);
        }
        finally
        {
            await server.DisposeAsync();
            await stores.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }

        foreach (var entry in log.Entries)
        {
            output.WriteLine($"{entry.Level} [{entry.EventId}] {entry.Message} :: {entry.Exception}");
        }

        Assert.DoesNotContain(log.Entries, e => e.Exception is not null);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.All(log.Entries, e => Assert.DoesNotContain('\n', e.Message));
        Assert.Contains(log.Entries, e => e.Level <= LogLevel.Information && e.Message.Contains("reset", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Resets_aborts_and_broken_pipes_are_the_peer_going_away_and_nothing_else_is()
    {
        Assert.True(ConnectionReset.Is(new IOException("write failed", new SocketException((int)SocketError.ConnectionReset)), out var reason));
        Assert.NotEmpty(reason);
        Assert.True(ConnectionReset.Is(new SocketException((int)SocketError.ConnectionAborted), out _));
        Assert.True(ConnectionReset.Is(new IOException("x", new SocketException((int)SocketError.Shutdown)), out _)); // EPIPE

        Assert.False(ConnectionReset.Is(new InvalidOperationException("a bug"), out _));
        Assert.False(ConnectionReset.Is(new IOException("disk"), out _));
        Assert.False(ConnectionReset.Is(new SocketException((int)SocketError.AccessDenied), out _));
        Assert.False(ConnectionReset.Is(new InvalidOperationException("a bug", new SocketException((int)SocketError.ConnectionReset)), out _));
    }

    private static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + TestServer.Domain, key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private sealed record Entry(LogLevel Level, int EventId, string Message, Exception? Exception);

    private sealed class EntryLog : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(EntryLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue(new Entry(logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}

/// <summary>Counts this process's open sockets, so it runs alone.</summary>
[CollectionDefinition(nameof(ConnectionResetSocketTests), DisableParallelization = true)]
public sealed class ConnectionResetSocketCollection;

[Collection(nameof(ConnectionResetSocketTests))]
public sealed class ConnectionResetSocketTests
{
    [Fact]
    public async Task The_servers_socket_of_a_client_that_reset_is_closed_not_left_to_the_finalizer()
    {
        await using var server = await TestServer.StartAsync();
        var before = OpenSockets();
        for (var i = 0; i < 20; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server.Endpoint);
            await socket.SendAsync(Encoding.UTF8.GetBytes(
                $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{TestServer.Domain}' version='1.0'>"));
            await Task.Delay(100);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        // No GC here on purpose: a socket only the finalizer would close stays open until then.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (OpenSockets() - before > 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.InRange(OpenSockets() - before, int.MinValue, 2);
    }

    private static int OpenSockets() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(f =>
        {
            try
            {
                return f.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });
}

