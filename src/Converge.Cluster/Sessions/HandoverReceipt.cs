using Converge.Xmpp.Routing.Cluster;

namespace Converge.Cluster.Sessions;

/// <summary>A message another node handed to us and keeps; settling it tells that node (batched) to forget it.</summary>
internal sealed class HandoverReceipt(ClusterNode node, string origin, long handover) : IHandoverReceipt
{
    private int _settled;

    public void Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            node.Settle(origin, handover);
        }
    }
}
