namespace Converge.Configuration;

/// <summary>The <c>Admin</c> section: accounts that may use the admin API with their XMPP password (HTTP Basic).</summary>
internal sealed record AdminSettings(IReadOnlyList<string> Accounts)
{
    public static AdminSettings None { get; } = new([]);
}
