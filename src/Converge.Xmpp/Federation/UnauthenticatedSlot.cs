using Converge.Xmpp.Transport;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The place an inbound link takes among the strangers (links that have not authenticated a domain):
/// its address's share and one of the listener's stranger slots. Freed as soon as the link proves a
/// domain, so links still negotiating never take the places of agreed peers; freeing twice is harmless.
/// </summary>
internal sealed class UnauthenticatedSlot(AddressConnectionLimit.Lease lease, Action release) : IDisposable
{
    private int _freed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _freed, 1) == 0)
        {
            lease.Dispose();
            release();
        }
    }
}
