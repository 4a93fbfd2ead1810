using System.Buffers;
using System.Text.Unicode;

namespace Converge.Xmpp.Xml;

/// <summary>
/// Writes UTF-8 straight into an <see cref="IBufferWriter{T}"/>'s spans, asking for a new span only
/// when the current one is full, so a whole stanza usually costs one GetSpan/Advance pair.
/// Call <see cref="Commit"/> at the end.
/// </summary>
internal ref struct Utf8Output(IBufferWriter<byte> output)
{
    private const int MaxCharsPerRequest = 2048;

    private readonly IBufferWriter<byte> _output = output;
    private Span<byte> _span;
    private int _buffered;

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _span.Length - _buffered)
        {
            Reserve(bytes.Length);
        }

        bytes.CopyTo(_span[_buffered..]);
        _buffered += bytes.Length;
    }

    /// <summary>Writes characters as UTF-8, unescaped; lone surrogates become U+FFFD.</summary>
    public void Write(scoped ReadOnlySpan<char> chars)
    {
        while (true)
        {
            var status = Utf8.FromUtf16(chars, _span[_buffered..], out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            _buffered += written;
            if (status == OperationStatus.Done)
            {
                return;
            }

            chars = chars[read..];
            Reserve(Math.Max(4, Math.Min(chars.Length, MaxCharsPerRequest) * 3));
        }
    }

    /// <summary>Writes characters, replacing each one found in <paramref name="specials"/> by its escape.</summary>
    public void WriteEscaped(scoped ReadOnlySpan<char> value, SearchValues<char> specials)
    {
        while (true)
        {
            var i = value.IndexOfAny(specials);
            if (i < 0)
            {
                Write(value);
                return;
            }

            Write(value[..i]);
            Write(Escape(value[i]));
            value = value[(i + 1)..];
        }
    }

    public void Commit()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    private void Reserve(int size)
    {
        Commit();
        _span = _output.GetSpan(size);
    }

    private static ReadOnlySpan<byte> Escape(char c) => c switch
    {
        '&' => "&amp;"u8,
        '<' => "&lt;"u8,
        '>' => "&gt;"u8,
        '\'' => "&apos;"u8,
        '"' => "&quot;"u8,
        '\t' => "&#x9;"u8,
        '\n' => "&#xA;"u8,
        '\r' => "&#xD;"u8,

        // A character XML cannot carry at all (C0 control, U+FFFE, U+FFFF).
        _ => "\uFFFD"u8,
    };
}
