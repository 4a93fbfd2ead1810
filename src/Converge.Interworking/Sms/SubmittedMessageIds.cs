using System.Globalization;

namespace Converge.Interworking.Sms;

/// <summary>
/// The ids of recently submitted parts under every reading (as given, as hex, as decimal), so a
/// receipt's id is reported in the very form <see cref="SubmitResult.MessageIds"/> had. Bounded:
/// the oldest ids are forgotten first, and a receipt for a forgotten id keeps the receipt's form.
/// </summary>
internal sealed class SubmittedMessageIds(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _byKey = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Remember(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return;
        }

        lock (_lock)
        {
            while (_order.Count >= capacity && _order.TryDequeue(out var old))
            {
                foreach (var key in KeysOf(old))
                {
                    if (_byKey.TryGetValue(key, out var owner) && owner == old)
                    {
                        _byKey.Remove(key);
                    }
                }
            }

            _order.Enqueue(id);
            foreach (var key in KeysOf(id))
            {
                _byKey[key] = id;
            }
        }
    }

    /// <summary>The submitted id the receipt id stands for; the receipt id itself when none is known.</summary>
    public string Resolve(string receiptId)
    {
        lock (_lock)
        {
            // Same form first; then the receipt's number read the other way round.
            if (_byKey.TryGetValue("s:" + SmppMessageId.Canonical(receiptId), out var same))
            {
                return same;
            }

            if (SmppMessageId.ParseDecimal(receiptId) is { } asDecimal && _byKey.TryGetValue("h:" + Number(asDecimal), out var wasHex))
            {
                return wasHex;
            }

            if (SmppMessageId.ParseHex(receiptId) is { } asHex && _byKey.TryGetValue("d:" + Number(asHex), out var wasDecimal))
            {
                return wasDecimal;
            }

            return receiptId;
        }
    }

    private static IEnumerable<string> KeysOf(string id)
    {
        yield return "s:" + SmppMessageId.Canonical(id);
        if (SmppMessageId.ParseHex(id) is { } hex)
        {
            yield return "h:" + Number(hex);
        }

        if (SmppMessageId.ParseDecimal(id) is { } dec)
        {
            yield return "d:" + Number(dec);
        }
    }

    private static string Number(UInt128 value) => value.ToString(CultureInfo.InvariantCulture);
}
