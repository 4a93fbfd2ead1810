namespace Converge.Interworking.Sms;

/// <summary>
/// The ids of recently submitted parts, so a receipt's id is reported in the very form
/// <see cref="SubmitResult.MessageIds"/> had. A receipt id is read in another base only when the
/// SMSC's receipt base is configured (<see cref="SmppReceiptIdBase"/>); otherwise it matches a
/// submitted id equal to it ignoring case and leading zeros, and nothing else. Bounded: the oldest
/// ids are forgotten first, and a receipt for a forgotten id keeps the receipt's form (converted
/// to the submitted base when that is configured).
/// </summary>
internal sealed class SubmittedMessageIds(int capacity, SmppReceiptIdBase receiptBase = SmppReceiptIdBase.Same)
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
                var oldKey = SmppMessageId.Canonical(old);
                if (_byKey.TryGetValue(oldKey, out var owner) && owner == old)
                {
                    _byKey.Remove(oldKey);
                }
            }

            _order.Enqueue(id);
            _byKey[SmppMessageId.Canonical(id)] = id;
        }
    }

    /// <summary>The submitted id the receipt id stands for; the receipt id itself (in the submitted base when configured) when none is known.</summary>
    public string Resolve(string receiptId)
    {
        var key = SmppMessageId.InSubmittedForm(receiptId, receiptBase) ?? SmppMessageId.Canonical(receiptId);
        lock (_lock)
        {
            return _byKey.TryGetValue(key, out var submitted) ? submitted
                : key == SmppMessageId.Canonical(receiptId) ? receiptId
                : key;
        }
    }
}
