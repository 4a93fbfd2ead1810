using System.IO.Pipelines;

namespace Converge.Xmpp.Transport;

/// <summary>
/// What a client connection reads from and writes to: a byte stream in each direction and the
/// framing that turns stream headers and top-level elements into bytes on the wire. TCP carries the
/// XML stream as it is (<see cref="StreamTransport"/>); a WebSocket carries one element per message
/// (<see cref="WebSockets.WebSocketTransport"/>). The client protocol above is the same for both.
/// </summary>
internal interface IClientTransport : IAsyncDisposable
{
    /// <summary>The client's XML stream, as bytes a <see cref="Xml.XmppStreamParser"/> reads.</summary>
    PipeReader Input { get; }

    /// <summary>Where the framing writes what the server says.</summary>
    PipeWriter Output { get; }

    /// <summary>How headers, elements and the closing of the stream are written to <see cref="Output"/>.</summary>
    StreamFraming Framing { get; }

    /// <summary>Whether STARTTLS can be offered (only on a TCP stream that is not yet encrypted).</summary>
    bool CanStartTls { get; }
}
