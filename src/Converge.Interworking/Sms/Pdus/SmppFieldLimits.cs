namespace Converge.Interworking.Sms.Pdus;

/// <summary>"Var. max" sizes of C-octet string fields, terminating NUL included (SMPP 3.4 §4).</summary>
internal static class SmppFieldLimits
{
    public const int SystemId = 16;
    public const int Password = 9;
    public const int SystemType = 13;
    public const int AddressRange = 41;
    public const int ServiceType = 6;
    public const int Address = 21;
    public const int DataSmAddress = 65;
    public const int Time = 17;
    public const int MessageId = 65;
    public const int ShortMessage = 254;
}
