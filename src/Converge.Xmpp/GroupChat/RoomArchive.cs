using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Im;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// A room's message archive (XEP-0313 §5 on the room JID), kept in the users' archive store with the
/// room's JID as owner; the query syntax and paging are the user archive's.
/// </summary>
internal sealed class RoomArchive(IArchiveStore store, XmlLimits xmlLimits)
{
    /// <summary>Stores a message as broadcast (from room/nick, no 'to') and returns its stanza-id.</summary>
    public async Task<string> AppendAsync(Jid room, XmlElement message)
    {
        var from = Jid.TryParse(message.GetAttribute("from"), out var nickJid) ? nickJid : room;
        var stored = await store.AppendAsync(new ArchiveEntry(room, from, DateTimeOffset.UtcNow, false,
            message.ChildText("thread", Namespaces.Client), XmlWriter.ToXmlString(message, Namespaces.Client))).ConfigureAwait(false);
        return stored.Id;
    }

    public Task DeleteAsync(Jid room) => store.DeleteAsync(room, null);

    /// <summary>Answers a query: one result message per archived message, then the IQ result with the RSM set.</summary>
    public async Task QueryAsync(Jid room, Stanza request, Action<XmlElement> send)
    {
        var requester = request.From!;
        var payload = request.Element.FirstElement()!;
        if (request.Type != "set")
        {
            send(Reply(request, new XmlElement("query", Namespaces.Mam).Add(ArchiveModule.SearchForm())));
            return;
        }

        if (!ArchiveModule.TryParseQuery(room, payload, out var query, out var error))
        {
            send(StanzaError.ReplyTo(request.Element, error.Condition, error.Text));
            return;
        }

        ArchivePage page;
        try
        {
            // 'with' in a room's archive is an occupant's room JID (room@service/nick), kept as given.
            page = await store.QueryAsync(query).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            send(StanzaError.ReplyTo(request.Element, "item-not-found", "No message in the archive has that id."));
            return;
        }

        var queryId = payload.GetAttribute("queryid");
        foreach (var message in page.Messages)
        {
            if (XmlFragment.Parse(message.StanzaXml, xmlLimits) is { } original)
            {
                send(ArchiveModule.ResultMessage(message, original, room, requester, queryId));
            }
        }

        send(Reply(request, ArchiveModule.Fin(page)));
    }

    private static XmlElement Reply(Stanza request, XmlElement payload) =>
        new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "result")
            .SetAttribute("id", request.Id)
            .SetAttribute("from", request.Element.GetAttribute("to"))
            .SetAttribute("to", request.From!.ToString())
            .Add(payload);
}
