namespace Converge.Interworking.Tests.Sms.Support;

internal static class Hex
{
    /// <summary>Bytes from hex written with any spacing: "00 00 00 10".</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
