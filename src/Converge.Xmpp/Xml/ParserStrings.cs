namespace Converge.Xmpp.Xml;

/// <summary>
/// Turns the UTF-8 of names, namespaces and attribute values into strings, sharing one string
/// per distinct name: first the table of names every stream uses, then a per-connection cache,
/// bounded in entries and entry length so a peer inventing names cannot make it grow.
/// </summary>
internal sealed class ParserStrings
{
    private const int MaxSeenNames = 128;
    private const int MaxSeenNameBytes = 32;
    private const int MaxSeenNamespaces = 32;
    private const int MaxSeenNamespaceBytes = 128;
    private const int MaxKnownValueBytes = 40;

    // Separate caches: a cached name was checked against the Name production, a namespace only as text.
    private Utf8StringTable? _seenNames;
    private Utf8StringTable? _seenNamespaces;

    public string Name(ReadOnlySpan<byte> utf8)
    {
        var hash = Utf8StringTable.Hash(utf8);
        var name = KnownXmppStrings.Find(utf8, hash) ?? _seenNames?.Find(utf8, hash);
        if (name is null)
        {
            name = XmlChars.DecodeName(utf8);
            if (utf8.Length <= MaxSeenNameBytes)
            {
                (_seenNames ??= new Utf8StringTable(MaxSeenNames)).Add(utf8, hash, name);
            }
        }

        return name;
    }

    public string Namespace(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        var hash = Utf8StringTable.Hash(utf8);
        var uri = KnownXmppStrings.Find(utf8, hash) ?? _seenNamespaces?.Find(utf8, hash);
        if (uri is null)
        {
            uri = XmlChars.DecodeText(utf8);
            if (utf8.Length <= MaxSeenNamespaceBytes)
            {
                (_seenNamespaces ??= new Utf8StringTable(MaxSeenNamespaces)).Add(utf8, hash, uri);
            }
        }

        return uri;
    }

    /// <summary>Values such as type='chat' come from the shared table; ids and addresses are decoded.</summary>
    public string Value(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length <= MaxKnownValueBytes)
        {
            var known = KnownXmppStrings.Find(utf8, Utf8StringTable.Hash(utf8));
            if (known is not null)
            {
                return known;
            }
        }

        return XmlChars.DecodeText(utf8);
    }
}
