using System.IO.Pipelines;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Transport;

/// <summary>
/// The read loop of an XML stream over a pipe (server-to-server links, components): only this
/// touches the <see cref="PipeReader"/>; the parser stays synchronous and does no I/O.
/// </summary>
internal static class StreamEventReader
{
    /// <summary>The next stream event; null when the connection ended. Throws <see cref="XmlStreamException"/> on bad XML.</summary>
    public static async ValueTask<XmppStreamEvent?> ReadAsync(PipeReader input, XmppStreamParser parser, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var found = false;
            XmppStreamEvent ev = default;
            try
            {
                found = parser.TryRead(ref buffer, out ev);
            }
            finally
            {
                // After an event the rest stays unexamined, so the next read returns it at once.
                input.AdvanceTo(buffer.Start, found ? buffer.Start : buffer.End);
            }

            if (found)
            {
                return ev;
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
