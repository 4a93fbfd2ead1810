using System.Net;
using System.Net.Sockets;

namespace Converge.Interop.Durability;

/// <summary>
/// A loopback TCP relay between a client and the server that a test can break the way mobile
/// networks do: <see cref="StallAfter"/> lets a given number of further bytes reach the client and
/// then stops moving anything in either direction (what is in flight stays in buffers); <see cref="CutAsync"/>
/// then resets both sides (RST, no FIN), so neither the server nor the client sees a clean close
/// and whatever was stalled is lost; <see cref="AbandonAsync"/> resets only the client's side.
/// Later connections through the link are relayed normally.
/// </summary>
internal sealed class FlakyLink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Relay> _relays = [];
    private readonly Task _accepting;

    private FlakyLink(int serverPort)
    {
        _serverPort = serverPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static FlakyLink Start(int serverPort) => new(serverPort);

    /// <summary>
    /// The current connection forwards at most <paramref name="bytes"/> more bytes to the client, then
    /// stops forwarding in both directions. The returned task completes when it has stalled.
    /// </summary>
    public Task StallAfter(long bytes) => Current().StallAfter(bytes);

    /// <summary>Resets both sides of the current connection.</summary>
    public Task CutAsync() => Current().CutAsync();

    /// <summary>
    /// Resets only the client's side of the current connection, as when a phone moves to another
    /// network: the server's side stays open and silent (nothing is read from it any more) until the
    /// link is disposed, so the server learns of the loss only from the client coming back.
    /// </summary>
    public Task AbandonAsync() => Current().AbandonAsync();

    /// <summary>A line for failure messages: what went through each connection.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return string.Join("; ", _relays.Select((r, i) => $"connection {i + 1}: {r.Describe()}"));
        }
    }

    private Relay Current()
    {
        lock (_gate)
        {
            return _relays.Count > 0 ? _relays[^1] : throw new InvalidOperationException("nobody has connected through the link yet");
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
                }
                catch (SocketException)
                {
                    Reset(client);
                    server.Dispose();
                    continue;
                }

                lock (_gate)
                {
                    _relays.Add(new Relay(client, server));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Linger on with a zero timeout: close sends RST and drops unsent data.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        List<Relay> relays;
        lock (_gate)
        {
            relays = [.. _relays];
        }

        foreach (var relay in relays)
        {
            await relay.CutAsync();
        }

        _stop.Dispose();
    }

    /// <summary>One proxied connection: a pump per direction.</summary>
    private sealed class Relay
    {
        private readonly Socket _client;
        private readonly Socket _server;
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _toClient;
        private readonly Task _toServer;
        private long _budget = long.MaxValue;
        private long _bytesToClient;
        private long _bytesToServer;

        public Relay(Socket client, Socket server)
        {
            _client = client;
            _server = server;
            _toClient = PumpToClientAsync();
            _toServer = PumpToServerAsync();
        }

        public long BytesToClient => Interlocked.Read(ref _bytesToClient);

        public string Describe() =>
            $"{BytesToClient} bytes to the client, {Interlocked.Read(ref _bytesToServer)} to the server, " +
            $"stalled={_stalled.Task.IsCompleted}, cut={_cut.Task.IsCompleted}";

        public Task StallAfter(long bytes)
        {
            lock (_gate)
            {
                _budget = bytes;
                if (bytes == 0)
                {
                    _stalled.TrySetResult();
                }
            }

            return _stalled.Task;
        }

        public async Task CutAsync()
        {
            _cut.TrySetResult();
            Reset(_server);
            Reset(_client);
            await Task.WhenAll(_toClient, _toServer);
        }

        public async Task AbandonAsync()
        {
            _cut.TrySetResult();
            Reset(_client);
            await Task.WhenAll(_toClient, _toServer);
        }

        private async Task PumpToClientAsync()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await _server.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        _client.Shutdown(SocketShutdown.Send); // the server closed cleanly: pass it on
                        return;
                    }

                    int allowed;
                    lock (_gate)
                    {
                        allowed = (int)Math.Min(read, _budget);
                        _budget -= allowed;
                    }

                    await SendAllAsync(_client, buffer.AsMemory(0, allowed));
                    Interlocked.Add(ref _bytesToClient, allowed);
                    if (allowed < read || Volatile.Read(ref _budget) == 0)
                    {
                        _stalled.TrySetResult();
                        await _cut.Task; // the rest of this read, and all that follows, is lost with the cut
                        return;
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task PumpToServerAsync()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await _client.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        _server.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    if (_stalled.Task.IsCompleted)
                    {
                        await _cut.Task; // the client's acks and anything else it says never arrive
                        return;
                    }

                    await SendAllAsync(_server, buffer.AsMemory(0, read));
                    Interlocked.Add(ref _bytesToServer, read);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None);
                data = data[sent..];
            }
        }
    }
}
