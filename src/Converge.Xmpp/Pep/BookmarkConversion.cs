using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>
/// XEP-0411: the conferences of a XEP-0048 <c>&lt;storage xmlns='storage:bookmarks'/&gt;</c> as
/// XEP-0402 items (one <c>&lt;conference xmlns='urn:xmpp:bookmarks:1'/&gt;</c> per room, the room's
/// JID as item id) and back. URLs have no XEP-0402 form and stay only in the legacy copy.
/// </summary>
internal static class BookmarkConversion
{
    /// <summary>Each legacy conference as (room JID, native conference element); conferences without a JID are skipped.</summary>
    public static List<(string Jid, XmlElement Conference)> ToNative(XmlElement storage)
    {
        var result = new List<(string, XmlElement)>();
        foreach (var legacy in storage.Elements("conference", PepNamespaces.LegacyBookmarks))
        {
            if (legacy.GetAttribute("jid") is not { Length: > 0 } jid || result.Exists(r => r.Item1 == jid))
            {
                continue;
            }

            var conference = new XmlElement("conference", PepNamespaces.Bookmarks);
            if (legacy.GetAttribute("name") is { } name)
            {
                conference.SetAttribute("name", name);
            }

            conference.SetAttribute("autojoin", legacy.GetAttribute("autojoin") is "true" or "1" ? "true" : "false");
            if (legacy.ChildText("nick", PepNamespaces.LegacyBookmarks) is { Length: > 0 } nick)
            {
                conference.AddElement("nick").AddText(nick);
            }

            if (legacy.ChildText("password", PepNamespaces.LegacyBookmarks) is { Length: > 0 } password)
            {
                conference.AddElement("password").AddText(password);
            }

            result.Add((jid, conference));
        }

        return result;
    }

    /// <summary>A legacy storage element from native items, keeping the URLs of the previous legacy copy.</summary>
    public static XmlElement ToLegacy(IEnumerable<PepItem> items, XmlElement? previous)
    {
        var storage = new XmlElement("storage", PepNamespaces.LegacyBookmarks);
        foreach (var item in items)
        {
            var native = item.Payload;
            if (native.Name != "conference" || native.Namespace != PepNamespaces.Bookmarks)
            {
                continue;
            }

            var conference = storage.AddElement("conference").SetAttribute("jid", item.Id);
            if (native.GetAttribute("name") is { } name)
            {
                conference.SetAttribute("name", name);
            }

            conference.SetAttribute("autojoin", native.GetAttribute("autojoin") is "true" or "1" ? "true" : "false");
            if (native.ChildText("nick", PepNamespaces.Bookmarks) is { Length: > 0 } nick)
            {
                conference.AddElement("nick").AddText(nick);
            }

            if (native.ChildText("password", PepNamespaces.Bookmarks) is { Length: > 0 } password)
            {
                conference.AddElement("password").AddText(password);
            }
        }

        if (previous is not null)
        {
            foreach (var url in previous.Elements("url", PepNamespaces.LegacyBookmarks))
            {
                storage.Add(url.Clone());
            }
        }

        return storage;
    }
}
