using Converge.Core.Addressing;

namespace Converge.Storage.Tests.Interworking;

internal static class ThreadMapTestData
{
    public static Jid Mary { get; } = Jid.Parse("mary@a.example");
    public static Jid Paul { get; } = Jid.Parse("paul@a.example");

    public const string Peter = "+4915112345678";
    public const string Petra = "+4915187654321";
    public const string PoolA = "+4930100000001";
    public const string PoolB = "+4930100000002";

    public static DateTimeOffset Noon { get; } = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
}
