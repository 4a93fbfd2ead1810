using Converge.Xmpp.Client;

namespace Converge.Xmpp.Routing.Cluster;

/// <summary>A node alone: nobody to tell, nothing to pay on any path.</summary>
internal sealed class SingleNode : IClusterSessions
{
    public static SingleNode Instance { get; } = new();

    public void Attach(ServerContext server)
    {
    }

    public void SessionBound(ClientSession session)
    {
    }

    public ValueTask PresenceChangedAsync(ClientSession session) => ValueTask.CompletedTask;

    public void SessionEnded(ClientSession session)
    {
    }

    public void InterestsChanged(ClientSession session)
    {
    }

    public void BlockListChanged(Core.Addressing.Jid owner)
    {
    }
}
