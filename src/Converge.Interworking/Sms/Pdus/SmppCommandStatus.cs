namespace Converge.Interworking.Sms.Pdus;

/// <summary>SMPP 3.4 command_status values (§5.1.3), the ones an ESME meets or sends.</summary>
internal enum SmppCommandStatus : uint
{
    Ok = 0x00000000,
    InvalidMessageLength = 0x00000001,        // ESME_RINVMSGLEN
    InvalidCommandLength = 0x00000002,        // ESME_RINVCMDLEN
    InvalidCommandId = 0x00000003,            // ESME_RINVCMDID
    IncorrectBindStatus = 0x00000004,         // ESME_RINVBNDSTS
    AlreadyBound = 0x00000005,                // ESME_RALYBND
    InvalidPriorityFlag = 0x00000006,         // ESME_RINVPRTFLG
    InvalidRegisteredDelivery = 0x00000007,   // ESME_RINVREGDLVFLG
    SystemError = 0x00000008,                 // ESME_RSYSERR
    InvalidSourceAddress = 0x0000000A,        // ESME_RINVSRCADR
    InvalidDestinationAddress = 0x0000000B,   // ESME_RINVDSTADR
    InvalidMessageId = 0x0000000C,            // ESME_RINVMSGID
    BindFailed = 0x0000000D,                  // ESME_RBINDFAIL
    InvalidPassword = 0x0000000E,             // ESME_RINVPASWD
    InvalidSystemId = 0x0000000F,             // ESME_RINVSYSID
    MessageQueueFull = 0x00000014,            // ESME_RMSGQFUL
    InvalidServiceType = 0x00000015,          // ESME_RINVSERTYP
    InvalidEsmClass = 0x00000043,             // ESME_RINVESMCLASS
    SubmitFailed = 0x00000045,                // ESME_RSUBMITFAIL
    InvalidSourceTon = 0x00000048,            // ESME_RINVSRCTON
    InvalidSourceNpi = 0x00000049,            // ESME_RINVSRCNPI
    InvalidDestinationTon = 0x00000050,       // ESME_RINVDSTTON
    InvalidDestinationNpi = 0x00000051,       // ESME_RINVDSTNPI
    InvalidSystemType = 0x00000053,           // ESME_RINVSYSTYP
    Throttled = 0x00000058,                   // ESME_RTHROTTLED
    InvalidScheduledTime = 0x00000061,        // ESME_RINVSCHED
    InvalidExpiryTime = 0x00000062,           // ESME_RINVEXPIRY
    TemporaryAppError = 0x00000064,           // ESME_RX_T_APPN
    PermanentAppError = 0x00000065,           // ESME_RX_P_APPN
    RejectedAppError = 0x00000066,            // ESME_RX_R_APPN
    InvalidOptionalParameterStream = 0x000000C0, // ESME_RINVTLVSTREAM
    OptionalParameterNotAllowed = 0x000000C1, // ESME_RTLVNOTALLWD
    InvalidParameterLength = 0x000000C2,      // ESME_RINVTLVLEN
    MissingOptionalParameter = 0x000000C3,    // ESME_RMISSINGTLV
    InvalidOptionalParameterValue = 0x000000C4, // ESME_RINVTLVVAL
    DeliveryFailure = 0x000000FE,             // ESME_RDELIVERYFAILURE
    UnknownError = 0x000000FF,                // ESME_RUNKNOWNERR
}
