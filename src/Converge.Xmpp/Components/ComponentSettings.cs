namespace Converge.Xmpp.Components;

/// <summary>One external component (XEP-0114) the operator configured: the domain it serves and the secret it proves it with.</summary>
/// <param name="Domain">The component's domain, case-folded (e.g. <c>push.example.com</c>).</param>
/// <param name="Secret">The shared secret of the handshake; never logged.</param>
public sealed record ComponentSettings(string Domain, string Secret)
{
    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"component {Domain}";
}
