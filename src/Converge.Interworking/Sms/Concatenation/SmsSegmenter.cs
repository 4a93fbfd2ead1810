using System.Text;
using Converge.Interworking.Sms.Text;

namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// Encodes a text for SMS and cuts it into parts (TS 23.040 §9.2.3.24.1 concatenation). GSM 7-bit
/// when every character has a GSM form, else UCS-2. One message holds 160 septets or 70 UCS-2
/// units; a part with a 6-octet UDH holds 153 septets or 67 units (152 / 66 with the 7-octet UDH of
/// a 16-bit reference). An extension character (ESC + code) and a surrogate pair stay in one part.
/// </summary>
internal static class SmsSegmenter
{
    public const int SingleGsmSeptets = 160;
    public const int SingleUcs2Units = 70;
    public const int MaxParts = 255;

    /// <summary>
    /// Segments <paramref name="text"/>. <paramref name="reference"/> is the concatenation reference
    /// (its low 8 or 16 bits are used); it only matters when the text needs more than one part.
    /// Throws <see cref="ArgumentException"/> when the text cannot be sent as SMS.
    /// </summary>
    public static SmsSegmentation Segment(string text, int reference, bool use16BitReference = false, byte gsmDataCoding = SmsDataCoding.SmscDefault)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckWellFormed(text);
        return GsmAlphabet.CanEncode(text)
            ? SegmentGsm(text, reference, use16BitReference, gsmDataCoding)
            : SegmentUcs2(text, reference, use16BitReference);
    }

    /// <summary>Septets per part with a concatenation UDH: the UDH's octets, rounded up to septets, come off 160.</summary>
    public static int GsmSeptetsPerPart(bool use16BitReference) =>
        SingleGsmSeptets - (((use16BitReference ? UserDataHeader.Concatenation16BitLength : UserDataHeader.Concatenation8BitLength) * 8) + 6) / 7;

    /// <summary>UCS-2 units per part with a concatenation UDH: what is left of 140 octets, in whole units.</summary>
    public static int Ucs2UnitsPerPart(bool use16BitReference) =>
        (140 - (use16BitReference ? UserDataHeader.Concatenation16BitLength : UserDataHeader.Concatenation8BitLength)) / 2;

    private static SmsSegmentation SegmentGsm(string text, int reference, bool use16BitReference, byte dataCoding)
    {
        if (GsmAlphabet.CountSeptets(text) <= SingleGsmSeptets)
        {
            return new SmsSegmentation(SmsSegmentation.Gsm7, dataCoding, [GsmAlphabet.GetBytes(text)], HasUdh: false);
        }

        var perPart = GsmSeptetsPerPart(use16BitReference);
        var ranges = new List<Range>();
        int start = 0, septets = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = GsmAlphabet.SeptetCost(text[i]);
            if (septets + cost > perPart)
            {
                ranges.Add(start..i);
                start = i;
                septets = 0;
            }

            septets += cost;
        }

        ranges.Add(start..text.Length);
        return Assemble(SmsSegmentation.Gsm7, dataCoding, ranges, reference, use16BitReference, range => GsmAlphabet.GetBytes(text[range]));
    }

    private static SmsSegmentation SegmentUcs2(string text, int reference, bool use16BitReference)
    {
        if (text.Length <= SingleUcs2Units)
        {
            return new SmsSegmentation(SmsSegmentation.Ucs2, SmsDataCoding.Ucs2, [Encoding.BigEndianUnicode.GetBytes(text)], HasUdh: false);
        }

        var perPart = Ucs2UnitsPerPart(use16BitReference);
        var ranges = new List<Range>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) ? 2 : 1;
            if (i + width - start > perPart)
            {
                ranges.Add(start..i);
                start = i;
            }

            i += width;
        }

        ranges.Add(start..text.Length);
        return Assemble(SmsSegmentation.Ucs2, SmsDataCoding.Ucs2, ranges, reference, use16BitReference, range => Encoding.BigEndianUnicode.GetBytes(text[range]));
    }

    private static SmsSegmentation Assemble(string encoding, byte dataCoding, List<Range> ranges, int reference, bool use16BitReference, Func<Range, byte[]> encode)
    {
        if (ranges.Count > MaxParts)
        {
            throw new ArgumentException($"The text needs {ranges.Count} SMS parts; concatenation allows at most {MaxParts}.", "text");
        }

        var udhLength = use16BitReference ? UserDataHeader.Concatenation16BitLength : UserDataHeader.Concatenation8BitLength;
        var parts = new byte[ranges.Count][];
        for (var i = 0; i < ranges.Count; i++)
        {
            var payload = encode(ranges[i]);
            var part = new byte[udhLength + payload.Length];
            if (use16BitReference)
            {
                UserDataHeader.WriteConcatenation16(part, (ushort)reference, (byte)ranges.Count, (byte)(i + 1));
            }
            else
            {
                UserDataHeader.WriteConcatenation8(part, (byte)reference, (byte)ranges.Count, (byte)(i + 1));
            }

            payload.CopyTo(part, udhLength);
            parts[i] = part;
        }

        return new SmsSegmentation(encoding, dataCoding, parts, HasUdh: true);
    }

    /// <summary>An unpaired surrogate is not text: no encoding can carry it faithfully.</summary>
    private static void CheckWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new ArgumentException($"The text is not valid UTF-16: an unpaired surrogate U+{(int)text[i]:X4} at index {i} cannot be sent as SMS.", nameof(text));
            }
        }
    }
}
