using System.Text.RegularExpressions;
using Converge.Interworking.Sms.Pdus;

namespace Converge.Interworking.Sms;

/// <summary>
/// Reads a delivery receipt: the receipted_message_id and message_state TLVs where the SMSC sends
/// them, else the text SMPP 3.4 Appendix B suggests ("id:… sub:… dlvrd:… submit date:… done
/// date:… stat:… err:… text:…"), whose keys are matched without regard to case or order.
/// </summary>
internal static partial class DeliveryReceiptParser
{
    /// <summary>The receipt's message id and state word, or null when neither the TLVs nor the text give an id.</summary>
    public static (string MessageId, string State)? Parse(SmppTlv? receiptedMessageId, SmppTlv? messageState, string text)
    {
        var id = receiptedMessageId?.AsCString();
        var state = messageState is { } tlv ? StateWord(tlv.AsByte()) : null;
        if (string.IsNullOrWhiteSpace(id) || state is null)
        {
            var fields = TextField().Matches(text);
            foreach (Match field in fields)
            {
                var key = field.Groups["key"].Value;
                var value = field.Groups["value"].Value;
                if (string.IsNullOrWhiteSpace(id) && key.Equals("id", StringComparison.OrdinalIgnoreCase))
                {
                    id = value;
                }
                else if (state is null && key.Equals("stat", StringComparison.OrdinalIgnoreCase))
                {
                    state = value.ToUpperInvariant();
                }
            }
        }

        return string.IsNullOrWhiteSpace(id) ? null : (id.Trim(), state ?? "UNKNOWN");
    }

    /// <summary>message_state (SMPP 3.4 §5.3.2.35) as the receipt text spells it.</summary>
    public static string StateWord(byte messageState) => messageState switch
    {
        1 => "ENROUTE",
        2 => "DELIVRD",
        3 => "EXPIRED",
        4 => "DELETED",
        5 => "UNDELIV",
        6 => "ACCEPTD",
        8 => "REJECTD",
        _ => "UNKNOWN",
    };

    [GeneratedRegex(@"(?:^|\s)(?<key>id|stat):(?<value>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TextField();
}
