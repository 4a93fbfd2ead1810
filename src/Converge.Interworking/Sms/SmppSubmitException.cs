namespace Converge.Interworking.Sms;

/// <summary>
/// A submission the SMSC refused or that could not be completed. <see cref="Status"/> is the SMSC's
/// command_status, or 0 when the failure was local (not bound, bind lost, no response in time).
/// <see cref="IsTransient"/> says whether trying again later can succeed.
/// </summary>
public sealed class SmppSubmitException : Exception
{
    public SmppSubmitException()
        : this(0, false, "SMS submission failed")
    {
    }

    public SmppSubmitException(string message)
        : this(0, false, message)
    {
    }

    public SmppSubmitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public SmppSubmitException(uint status, bool isTransient, string reason, Exception? innerException = null)
        : base(status == 0 ? reason : $"{reason} (command_status 0x{status:X8})", innerException)
    {
        Status = status;
        IsTransient = isTransient;
        Reason = reason;
    }

    public uint Status { get; }

    public bool IsTransient { get; }

    public string Reason { get; }
}
