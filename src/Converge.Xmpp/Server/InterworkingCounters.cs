using Converge.Xmpp.Routing;

namespace Converge.Xmpp.Server;

/// <summary>How many messages technology selection sent to each legacy channel since start.</summary>
internal sealed class InterworkingCounters
{
    private long _sms;
    private long _email;

    public long Sms => Volatile.Read(ref _sms);

    public long Email => Volatile.Read(ref _email);

    public void Count(LegacyChannel channel)
    {
        if (channel == LegacyChannel.Sms)
        {
            Interlocked.Increment(ref _sms);
        }
        else
        {
            Interlocked.Increment(ref _email);
        }
    }
}
