namespace Converge.Xmpp.Federation;

/// <summary>Namespaces only server-to-server streams use.</summary>
internal static class FederationNamespaces
{
    /// <summary>Server Dialback elements (XEP-0220), written with the customary "db:" prefix.</summary>
    public const string Dialback = "jabber:server:dialback";

    /// <summary>The stream feature that says a receiving server speaks dialback (XEP-0220 §2.4).</summary>
    public const string DialbackFeature = "urn:xmpp:features:dialback";
}
