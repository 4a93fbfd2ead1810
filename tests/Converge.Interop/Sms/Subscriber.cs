namespace Converge.Interop.Sms;

/// <summary>An account provisioned with <c>converge user add</c>: its local part, its MSISDN if any, whether it is CPM-enabled.</summary>
internal sealed record Subscriber(string Name, string? Msisdn = null, bool Cpm = true)
{
    public string Jid => $"{Name}@{Support.ConvergeServer.Domain}";

    /// <summary>What <c>converge user add</c> takes beyond the JID and password.</summary>
    public IReadOnlyList<string> AddOptions => Msisdn is null ? ["--cpm", Cpm ? "true" : "false"] : ["--cpm", Cpm ? "true" : "false", "--msisdn", Msisdn];
}
