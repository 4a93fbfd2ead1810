namespace Converge.Interworking.Email;

/// <summary>One mailbox of an address header: the display name (decoded) and the addr-spec.</summary>
public sealed record MailboxAddress(string? DisplayName, string Address)
{
    /// <summary>The domain part of the address, or an empty string when there is none.</summary>
    public string Domain
    {
        get
        {
            var at = Address.LastIndexOf('@');
            return at < 0 ? string.Empty : Address[(at + 1)..];
        }
    }

    public override string ToString() =>
        string.IsNullOrEmpty(DisplayName) ? $"<{Address}>" : $"\"{DisplayName}\" <{Address}>";
}
