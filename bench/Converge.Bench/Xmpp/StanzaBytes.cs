namespace Converge.Bench.Xmpp;

/// <summary>
/// The few questions the load generator asks of a stanza, answered on its raw UTF-8 bytes.
/// These are searches, not XML parsing: they rely on what servers actually send (attributes in
/// quotes, no '&gt;' inside the values asked for, children written without prefixes).
/// </summary>
internal static class StanzaBytes
{
    /// <summary>Whether the element's qualified name is <paramref name="name"/> (e.g. "message", "stream:features").</summary>
    public static bool IsNamed(ReadOnlySpan<byte> element, ReadOnlySpan<byte> name) =>
        element.Length > name.Length + 1
        && element[0] == (byte)'<'
        && element[1..].StartsWith(name)
        && element[name.Length + 1] is (byte)' ' or (byte)'>' or (byte)'/' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>The start tag of the element, up to and including its first '&gt;'.</summary>
    public static ReadOnlySpan<byte> StartTag(ReadOnlySpan<byte> element)
    {
        var end = element.IndexOf((byte)'>');
        return end < 0 ? element : element[..(end + 1)];
    }

    /// <summary>The raw (still escaped) value of attribute <paramref name="name"/> on the element's start tag.</summary>
    public static bool TryGetAttribute(ReadOnlySpan<byte> element, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var tag = StartTag(element);
        var from = 0;
        while (from < tag.Length)
        {
            var at = tag[from..].IndexOf(name);
            if (at < 0)
            {
                break;
            }

            at += from;
            var after = at + name.Length;
            if (at > 0 && tag[at - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'
                && after + 1 < tag.Length && tag[after] == (byte)'=' && tag[after + 1] is (byte)'\'' or (byte)'"')
            {
                var quote = tag[after + 1];
                var rest = tag[(after + 2)..];
                var close = rest.IndexOf(quote);
                if (close >= 0)
                {
                    value = rest[..close];
                    return true;
                }
            }

            from = after;
        }

        value = default;
        return false;
    }

    /// <summary>Whether the start tag has attribute <paramref name="name"/> with exactly <paramref name="expected"/>.</summary>
    public static bool AttributeEquals(ReadOnlySpan<byte> element, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        TryGetAttribute(element, name, out var value) && value.SequenceEqual(expected);

    /// <summary>
    /// The raw text of the first element named <paramref name="childName"/> inside the element, at any
    /// depth (e.g. "body", "status", "jid"); the element's own text is <see cref="Text"/>.
    /// </summary>
    public static bool TryGetChildText(ReadOnlySpan<byte> element, ReadOnlySpan<byte> childName, out ReadOnlySpan<byte> text)
    {
        text = default;
        var inner = element[StartTag(element).Length..];
        var from = 0;
        while (true)
        {
            var lt = inner[from..].IndexOf((byte)'<');
            if (lt < 0)
            {
                return false;
            }

            var at = from + lt + 1;
            var rest = inner[at..];
            if (rest.StartsWith(childName) && rest.Length > childName.Length
                && rest[childName.Length] is (byte)'>' or (byte)' ' or (byte)'/')
            {
                var child = inner[(at - 1)..];
                var tag = StartTag(child);
                if (tag.Length >= 2 && tag[^2] == (byte)'/')
                {
                    return true; // <body/>: present and empty
                }

                var content = child[tag.Length..];
                var end = content.IndexOf("</"u8);
                text = end < 0 ? content : content[..end];
                return true;
            }

            from = at;
        }
    }

    /// <summary>Whether the element contains <paramref name="fragment"/> anywhere (e.g. a child's namespace).</summary>
    public static bool Contains(ReadOnlySpan<byte> element, ReadOnlySpan<byte> fragment) => element.IndexOf(fragment) >= 0;

    /// <summary>The element's own text content up to its first child or end tag (for &lt;challenge&gt;, &lt;success&gt;).</summary>
    public static ReadOnlySpan<byte> Text(ReadOnlySpan<byte> element)
    {
        var tag = StartTag(element);
        if (tag.Length >= 2 && tag[^2] == (byte)'/')
        {
            return default;
        }

        var content = element[tag.Length..];
        var end = content.IndexOf((byte)'<');
        return end < 0 ? content : content[..end];
    }
}
