namespace Converge.Interworking.Sms.Pdus;

/// <summary>command_id helpers.</summary>
internal static class SmppCommandIds
{
    public const uint ResponseBit = 0x80000000;

    public static bool IsResponse(uint commandId) => (commandId & ResponseBit) != 0;

    public static bool IsResponse(this SmppCommandId commandId) => IsResponse((uint)commandId);
}
