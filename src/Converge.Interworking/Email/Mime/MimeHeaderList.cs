using System.Collections;

namespace Converge.Interworking.Email;

/// <summary>The header fields of an entity in the order they were written; names compare case-insensitively.</summary>
public sealed class MimeHeaderList : IReadOnlyList<MimeHeader>
{
    private readonly List<MimeHeader> _headers = [];

    public int Count => _headers.Count;

    public MimeHeader this[int index] => _headers[index];

    /// <summary>The value of the first field named <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var header in _headers)
            {
                if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }
    }

    public IEnumerable<string> GetAll(string name) =>
        _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    internal void Add(MimeHeader header) => _headers.Add(header);

    public IEnumerator<MimeHeader> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
