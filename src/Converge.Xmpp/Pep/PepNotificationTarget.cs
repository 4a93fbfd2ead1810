using Converge.Core.Addressing;

namespace Converge.Xmpp.Pep;

/// <summary>A resource that gets a node's events: its full JID and the notify features its client advertised (XEP-0115).</summary>
internal readonly record struct PepNotificationTarget(Jid Resource, IReadOnlySet<string> Features)
{
    public bool Wants(string node) => Features.Contains(node + "+notify");
}
