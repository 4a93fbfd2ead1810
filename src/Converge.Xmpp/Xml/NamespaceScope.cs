namespace Converge.Xmpp.Xml;

/// <summary>
/// The namespace declarations in scope: a stack of (prefix, URI) bindings, with a mark per open
/// element so its declarations go out of scope with it. The default namespace is prefix "".
/// Prefixes come from the parser's string table, so comparisons are mostly reference checks.
/// </summary>
internal sealed class NamespaceScope
{
    private (string Prefix, string Uri)[] _bindings = new (string, string)[8];
    private int[] _marks = new int[8];
    private int _count;
    private int _depth;

    public void PushElement()
    {
        if (_depth == _marks.Length)
        {
            Array.Resize(ref _marks, _marks.Length * 2);
        }

        _marks[_depth++] = _count;
    }

    public void PopElement()
    {
        var mark = _marks[--_depth];
        Array.Clear(_bindings, mark, _count - mark);
        _count = mark;
    }

    public void Declare(string prefix, string uri)
    {
        if (_count == _bindings.Length)
        {
            Array.Resize(ref _bindings, _bindings.Length * 2);
        }

        _bindings[_count++] = (prefix, uri);
    }

    /// <summary>The URI bound to <paramref name="prefix"/>; "" for an undeclared default namespace; null for an undeclared prefix.</summary>
    public string? Resolve(string prefix)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            ref readonly var binding = ref _bindings[i];
            if (ReferenceEquals(binding.Prefix, prefix) || string.Equals(binding.Prefix, prefix, StringComparison.Ordinal))
            {
                return binding.Uri;
            }
        }

        return prefix.Length == 0 ? "" : null;
    }

    public void Clear()
    {
        Array.Clear(_bindings, 0, _count);
        _count = 0;
        _depth = 0;
    }
}
