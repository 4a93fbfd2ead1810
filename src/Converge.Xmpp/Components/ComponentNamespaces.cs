namespace Converge.Xmpp.Components;

/// <summary>The namespace of the external component protocol (XEP-0114).</summary>
internal static class ComponentNamespaces
{
    /// <summary>The content namespace of a component's stream, and of its handshake element.</summary>
    public const string Accept = "jabber:component:accept";
}
