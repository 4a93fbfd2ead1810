namespace Converge.Interworking.Sms;

/// <summary>
/// Where a submitted message stands, as a delivery receipt reports it: SMPP 3.4 message_state
/// (§5.3.2.35), whose values these are. The receipt text spells them ENROUTE, DELIVRD, EXPIRED,
/// DELETED, UNDELIV, ACCEPTD, UNKNOWN and REJECTD (Appendix B).
/// </summary>
public enum DeliveryState : byte
{
    Enroute = 1,
    Delivered = 2,
    Expired = 3,
    Deleted = 4,
    Undeliverable = 5,
    Accepted = 6,
    Unknown = 7,
    Rejected = 8,
}
