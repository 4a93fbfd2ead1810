using System.Globalization;

namespace Converge.Xmpp.Im;

/// <summary>The opaque 'ver' strings of roster versioning (RFC 6121 §2.6).</summary>
internal static class RosterVersion
{
    public static string Format(long version) => "v" + version.ToString(CultureInfo.InvariantCulture);
}
