using System.Collections.Frozen;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>Builds one row of a negotiation table: every kind of element has a cell, those not named take the row's default.</summary>
internal static class NegotiationRow
{
    public static FrozenDictionary<TElement, TStep> Of<TElement, TStep>(TStep otherwise, params (TElement Element, TStep Step)[] cells)
        where TElement : struct, Enum
    {
        var row = Enum.GetValues<TElement>().ToDictionary(e => e, _ => otherwise);
        foreach (var (element, step) in cells)
        {
            row[element] = step;
        }

        return row.ToFrozenDictionary();
    }
}
