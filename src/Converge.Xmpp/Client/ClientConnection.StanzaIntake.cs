using Converge.Core.Addressing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// Stanzas from a bound client: checked (RFC 6120 §8.1.2.1 addressing), stamped, handed to the router
/// in order, and counted once stored (XEP-0198).
/// </summary>
internal sealed partial class ClientConnection
{
    private async ValueTask<Next> StanzaAsync(XmlElement element, CancellationToken token)
    {
        var session = _session!;
        if (element.Namespace is StreamManagement.Namespace or Namespaces.Csi)
        {
            return Nonza(session, element);
        }

        if (!Stanza.TryGetKind(element, out var kind))
        {
            throw new StreamError("unsupported-stanza-type", $"<{element.Name}/> is not a stanza this server knows.");
        }

        if (element.Namespace != Namespaces.Client)
        {
            throw new StreamError("invalid-namespace", "Stanzas on a client stream are in jabber:client.");
        }

        // RFC 6120 §8.1.2.1: the server stamps 'from'; a client may only name its own addresses.
        var from = element.GetAttribute("from");
        if (from is not null && from != session.FullJid.ToString() && from != session.BareJid.ToString()
            && !(Jid.TryParse(from, out var fromJid) && (fromJid == session.FullJid || fromJid == session.BareJid)))
        {
            throw new StreamError("invalid-from", "A client may not send on behalf of another address.");
        }

        element.SetAttribute("from", session.FullJid.ToString());
        var type = element.GetAttribute("type");
        Jid? to = null;
        var toText = element.GetAttribute("to");
        if (toText is not null && !Jid.TryParse(toText, out to))
        {
            if (type != "error")
            {
                session.Send(StanzaError.ReplyTo(element, "jid-malformed", "The 'to' address is not a valid JID."));
            }

            await HandledAsync(session, null).ConfigureAwait(false);
            return Next.Continue;
        }

        if (kind == StanzaKind.Iq && (element.GetAttribute("id") is null || type is not ("get" or "set" or "result" or "error")))
        {
            session.Send(StanzaError.ReplyTo(element, "bad-request", "An IQ needs an id and a type of get, set, result or error."));
            await HandledAsync(session, null).ConfigureAwait(false);
            return Next.Continue;
        }

        if (to is not null && to.ToString() != toText)
        {
            element.SetAttribute("to", to.ToString()); // normalized (case-folded) form
        }

        if (kind == StanzaKind.Iq)
        {
            // Read your own writes: an archive query or delete sees every message the client sent before it.
            var stored = session.Inbound.StoredCountAsync();
            if (!stored.IsCompletedSuccessfully)
            {
                await stored.ConfigureAwait(false);
            }
        }

        var write = await _server.Router.FromClientAsync(new Stanza(element, kind, session.FullJid, to), session, token).ConfigureAwait(false);
        await HandledAsync(session, write).ConfigureAwait(false);
        return Next.Continue;
    }

    /// <summary>
    /// Counts a handled stanza with the write its acknowledgement waits for (XEP-0198). A write that
    /// failed ends the stream: the client resumes (or reconnects) and sends again from what was stored.
    /// </summary>
    private static async ValueTask HandledAsync(ClientSession session, Task? write)
    {
        await session.Inbound.HandledAsync(write).ConfigureAwait(false);
        if (session.Inbound.Failed)
        {
            throw new StreamError("internal-server-error", "A message could not be stored; send again what was not acknowledged.");
        }
    }
}
