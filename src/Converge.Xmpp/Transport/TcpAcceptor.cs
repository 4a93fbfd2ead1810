using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Transport;

/// <summary>Accepts TCP connections on one endpoint and hands each socket to a connection handler.</summary>
internal sealed partial class TcpAcceptor(IPEndPoint endpoint, string name, ILogger logger) : IDisposable
{
    private readonly Socket _listener = new(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    private volatile bool _stopped;

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds now, so a taken port fails start-up rather than the first connection.</summary>
    public void Bind()
    {
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endpoint);
        _listener.Listen(1024);
        LogListening(logger, name, Endpoint);
    }

    public async Task RunAsync(Func<Socket, Task> handle, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested || _stopped)
            {
                return; // the listener was closed by Dispose
            }

            socket.NoDelay = true;
            _ = Task.Run(() => handle(socket), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Listening for {Name} on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string name, IPEndPoint endpoint);
}
