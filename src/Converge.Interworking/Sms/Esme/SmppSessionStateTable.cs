using Converge.Interworking.Sms.Pdus;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// Which requests from the SMSC each session state accepts (SMPP 3.4 §2.3, Table 2-1, ESME side).
/// Responses are matched to requests whatever the state; a request not listed here is answered
/// with generic_nack ESME_RINVBNDSTS.
/// </summary>
internal static class SmppSessionStateTable
{
    public static bool Accepts(SmppSessionState state, SmppCommandId request) => (state, request) switch
    {
        (SmppSessionState.Open or SmppSessionState.Bound or SmppSessionState.Unbinding, SmppCommandId.EnquireLink) => true,
        (SmppSessionState.Bound or SmppSessionState.Unbinding, SmppCommandId.Unbind) => true,
        (SmppSessionState.Bound, SmppCommandId.DeliverSm or SmppCommandId.DataSm) => true,
        _ => false,
    };
}
