using System.Net.Sockets;

namespace Converge.Xmpp.Transport;

/// <summary>
/// The peer went away under a read or write (reset, aborted, broken pipe): an everyday event on the
/// internet, worth one log line, not a stack trace. Anything else is a bug and keeps its trace.
/// </summary>
internal static class ConnectionReset
{
    /// <summary>Whether <paramref name="exception"/> (or an IOException's inner exception) is the peer ending the connection.</summary>
    public static bool Is(Exception exception, out string reason)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } socket)
            {
                reason = socket.Message;
                return true;
            }

            if (e is not IOException)
            {
                break;
            }
        }

        reason = string.Empty;
        return false;
    }
}
