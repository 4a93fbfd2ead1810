using System.Text;

namespace Converge.Storage.Sqlite;

/// <summary>
/// One session's UTF-8 scratch buffer for binding text: it grows to the largest text bound so far and
/// is reused, so binding a stanza costs no allocation once the buffer is large enough.
/// </summary>
internal sealed class SqliteTextBuffer
{
    private byte[] _bytes = new byte[4096];

    public ReadOnlySpan<byte> Encode(string text)
    {
        // Counting the bytes costs a pass over the text; only a text that might not fit pays it.
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > _bytes.Length && Encoding.UTF8.GetByteCount(text) is var needed && needed > _bytes.Length)
        {
            _bytes = new byte[Math.Max(needed, _bytes.Length * 2)];
        }

        return _bytes.AsSpan(0, Encoding.UTF8.GetBytes(text, _bytes));
    }
}
