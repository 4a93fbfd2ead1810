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
    /// <summary>The receipt's message id and state, or null when neither the TLVs nor the text give an id.</summary>
    public static (string MessageId, DeliveryState State)? Parse(SmppTlv? receiptedMessageId, SmppTlv? messageState, string text)
    {
        var id = receiptedMessageId?.AsCString();
        DeliveryState? state = messageState is { } tlv ? StateOf(tlv.AsByte()) : null;
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
                    state = StateOf(value);
                }
            }
        }

        return string.IsNullOrWhiteSpace(id) ? null : (id.Trim(), state ?? DeliveryState.Unknown);
    }

    /// <summary>The state as the receipt text spells it (SMPP 3.4 Appendix B).</summary>
    public static string Word(DeliveryState state) => state switch
    {
        DeliveryState.Enroute => "ENROUTE",
        DeliveryState.Delivered => "DELIVRD",
        DeliveryState.Expired => "EXPIRED",
        DeliveryState.Deleted => "DELETED",
        DeliveryState.Undeliverable => "UNDELIV",
        DeliveryState.Accepted => "ACCEPTD",
        DeliveryState.Rejected => "REJECTD",
        _ => "UNKNOWN",
    };

    /// <summary>message_state (SMPP 3.4 §5.3.2.35); a value it does not define is Unknown.</summary>
    private static DeliveryState StateOf(byte messageState) =>
        messageState is >= (byte)DeliveryState.Enroute and <= (byte)DeliveryState.Rejected ? (DeliveryState)messageState : DeliveryState.Unknown;

    private static DeliveryState StateOf(string word) => word.ToUpperInvariant() switch
    {
        "ENROUTE" => DeliveryState.Enroute,
        "DELIVRD" => DeliveryState.Delivered,
        "EXPIRED" => DeliveryState.Expired,
        "DELETED" => DeliveryState.Deleted,
        "UNDELIV" => DeliveryState.Undeliverable,
        "ACCEPTD" => DeliveryState.Accepted,
        "REJECTD" => DeliveryState.Rejected,
        _ => DeliveryState.Unknown,
    };

    [GeneratedRegex(@"(?:^|\s)(?<key>id|stat):(?<value>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TextField();
}
