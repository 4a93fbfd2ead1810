using System.Buffers;
using System.Text;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Scenarios;

/// <summary>Answers what a server may ask an idle client (XEP-0199 pings), so that no session is dropped for silence.</summary>
internal static class ServerRequests
{
    /// <summary>Replies to an &lt;iq type='get'/'set'&gt; with a result (ping) and returns true; false for anything else.</summary>
    public static bool TryAnswer(ReadOnlySpan<byte> element, IBufferWriter<byte> replies)
    {
        if (!StanzaBytes.IsNamed(element, "iq"u8)
            || !(StanzaBytes.AttributeEquals(element, "type"u8, "get"u8) || StanzaBytes.AttributeEquals(element, "type"u8, "set"u8)))
        {
            return false;
        }

        if (StanzaBytes.TryGetAttribute(element, "id"u8, out var id))
        {
            var to = StanzaBytes.TryGetAttribute(element, "from"u8, out var from) ? $" to='{Encoding.UTF8.GetString(from)}'" : "";
            replies.Write(Encoding.UTF8.GetBytes($"<iq type='result' id='{Encoding.UTF8.GetString(id)}'{to}/>"));
        }

        return true;
    }
}
