using System.Buffers;

namespace Converge.Xmpp.Xml;

/// <summary>
/// A growable byte buffer the parser reuses for every token. It grows from the shared pool when
/// a large stanza needs it and gives the memory back once the stanza is done, so an idle
/// connection holds only its small initial array.
/// </summary>
internal sealed class ByteBuffer(int initialCapacity)
{
    private const int KeepCapacity = 16 * 1024;

    private readonly byte[] _initial = new byte[initialCapacity];
    private byte[]? _rented;
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> Span => Array.AsSpan(0, _length);

    private byte[] Array => _rented ?? _initial;

    public ReadOnlySpan<byte> Slice(int start, int length) => Array.AsSpan(start, length);

    public byte this[int index] => Array[index];

    public void Append(byte value)
    {
        var array = Array;
        if (_length == array.Length)
        {
            array = Grow(1);
        }

        array[_length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var array = Array;
        if (bytes.Length > array.Length - _length)
        {
            array = Grow(bytes.Length);
        }

        bytes.CopyTo(array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Clear() => _length = 0;

    public void Truncate(int length) => _length = length;

    /// <summary>Empties the buffer and returns pooled memory when it grew large.</summary>
    public void Release()
    {
        _length = 0;
        if (_rented is not null && _rented.Length > KeepCapacity)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private byte[] Grow(int needed)
    {
        var current = Array;
        var capacity = Math.Max(current.Length * 2, _length + needed);
        var next = ArrayPool<byte>.Shared.Rent(capacity);
        current.AsSpan(0, _length).CopyTo(next);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }

        _rented = next;
        return next;
    }
}
