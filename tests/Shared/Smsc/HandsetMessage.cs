namespace Converge.Testing;

/// <summary>A complete (reassembled) SMS in a simulated handset's inbox, as the SMSC simulator reports it.</summary>
/// <param name="Encoding">GSM7, IA5, LATIN1 or UCS2, from the parts' data_coding.</param>
/// <param name="Parts">The submit_sm parts it was reassembled from, in sequence order.</param>
internal sealed record HandsetMessage(string From, string To, string Text, string Encoding, int DataCoding, IReadOnlyList<HandsetPart> Parts);
