using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Converge.Configuration;

/// <summary>
/// Parses a listener value: "IPv4:port", "[IPv6]:port" or "localhost:port". Host names other than
/// localhost are refused on purpose: a listener binds an address, and resolving a name at start-up
/// would make the bound address depend on DNS.
/// </summary>
internal static class EndpointParser
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = Invalid(text, "expected host:port, e.g. 127.0.0.1:5222");
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            problem = Invalid(text, "the port must be a number from 0 to 65535");
            return false;
        }

        if (!TryParseHost(host, out var address))
        {
            problem = Invalid(text, host.Contains(':', StringComparison.Ordinal) && host[0] != '['
                ? "an IPv6 address goes in brackets, e.g. [::1]:5222"
                : "the host must be an IPv4 address, [IPv6 address] or localhost");
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        problem = null;
        return true;
    }

    private static bool TryParseHost(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            return IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out address)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // IPAddress.TryParse also takes "1" or "0x7f.1"; a listener address is written dotted-quad.
        return IsDottedQuad(host) && IPAddress.TryParse(host, out address);
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }

    private static string Invalid(string text, string reason) => $"'{text}' is not a valid host:port ({reason})";
}
