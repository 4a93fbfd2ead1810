using System.Diagnostics.CodeAnalysis;

namespace Converge.Core.Addressing;

/// <summary>
/// An XMPP address (RFC 7622): [local@]domain[/resource]. Local part and domain are
/// case-folded on parse so that comparisons are ordinal; the resource is kept as given.
/// Full PRECIS profiles are not applied: we fold case, reject the characters RFC 7622
/// forbids in a localpart and control/whitespace characters, and enforce the 1023-byte limits.
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private const int MaxPartBytes = 1023;
    private string? _full;

    // The bare form of a full JID, made once: routing asks a session's full JID for it several times per
    // message (archive owner and partner, preferences), and each new instance built its text again.
    private Jid? _bare;

    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    public string? Local { get; }
    public string Domain { get; }
    public string? Resource { get; }

    public bool IsBare => Resource is null;
    public bool IsDomain => Local is null && Resource is null;

    public Jid Bare => Resource is null ? this : _bare ??= new Jid(Local, Domain, null);

    public Jid WithResource(string? resource) => new(Local, Domain, resource);

    public static Jid Domainpart(string domain) => Parse(domain);

    public static Jid Create(string? local, string domain, string? resource = null)
    {
        var text = (local is null ? "" : local + "@") + domain + (resource is null ? "" : "/" + resource);
        return Parse(text);
    }

    public static Jid Parse(string text) =>
        TryParse(text, out var jid) ? jid : throw new FormatException($"'{text}' is not a valid JID");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Jid? jid)
    {
        jid = null;
        if (string.IsNullOrEmpty(text) || text.Length > 3 * MaxPartBytes + 2)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var head = slash < 0 ? text : text[..slash];
        var resource = slash < 0 ? null : text[(slash + 1)..];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? null : head[..at];
        var domain = at < 0 ? head : head[(at + 1)..];

        if (local is not null && !IsValidLocal(local))
        {
            return false;
        }

        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }

        if (!IsValidDomain(domain))
        {
            return false;
        }

        if (resource is not null && !IsValidResource(resource))
        {
            return false;
        }

        jid = new Jid(local?.ToLowerInvariant(), domain.ToLowerInvariant(), resource);
        return true;
    }

    private static bool IsValidLocal(string local)
    {
        if (local.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(local) > MaxPartBytes)
        {
            return false;
        }

        foreach (var c in local)
        {
            if (c is '"' or '&' or '\'' or '/' or ':' or '<' or '>' or '@' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(string domain)
    {
        if (domain.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(domain) > MaxPartBytes)
        {
            return false;
        }

        if (domain[0] == '[')
        {
            return domain[^1] == ']' && System.Net.IPAddress.TryParse(domain.AsSpan(1, domain.Length - 2), out _);
        }

        foreach (var label in domain.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63)
            {
                return false;
            }

            foreach (var c in label)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or '/' or '\\' or '<' or '>' or '"' or '\'' or '&' or ':')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsValidResource(string resource)
    {
        if (resource.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(resource) > MaxPartBytes)
        {
            return false;
        }

        foreach (var c in resource)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        _full ??= (Local is null ? "" : Local + "@") + Domain + (Resource is null ? "" : "/" + Resource);

    public bool Equals(Jid? other) =>
        other is not null && string.Equals(Local, other.Local, StringComparison.Ordinal)
        && string.Equals(Domain, other.Domain, StringComparison.Ordinal)
        && string.Equals(Resource, other.Resource, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Jid j && Equals(j);

    public override int GetHashCode() => HashCode.Combine(Local, Domain, Resource);

    public static bool operator ==(Jid? a, Jid? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Jid? a, Jid? b) => !(a == b);
}
