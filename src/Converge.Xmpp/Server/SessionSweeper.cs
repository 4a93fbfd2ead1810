using Converge.Xmpp.Client;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Server;

/// <summary>
/// One timer for all sessions instead of one per connection: sends whitespace keepalives on quiet
/// streams, pings clients that have gone silent (XEP-0199) and closes those that do not answer.
/// </summary>
internal sealed class SessionSweeper(ServerContext server)
{
    private static readonly TimeSpan PingGrace = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var limits = server.Options.Client;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(limits.IdleTimeout.TotalMilliseconds, limits.KeepaliveInterval.TotalMilliseconds) / 4, 250, 15_000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Sweep(Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void Sweep(long now)
    {
        var limits = server.Options.Client;
        foreach (var session in server.Sessions.All())
        {
            var silentFor = now - session.LastReceivedTicks;
            if (silentFor < limits.IdleTimeout.TotalMilliseconds)
            {
                session.IdlePingTicks = 0;
            }
            else if (session.IdlePingTicks == 0)
            {
                session.IdlePingTicks = now;
                session.Send(Ping(session));
                continue;
            }
            else if (now - session.IdlePingTicks > PingGrace.TotalMilliseconds)
            {
                session.Close(new StreamError("connection-timeout", "No answer to a ping."));
                continue;
            }

            if (now - session.LastSentTicks >= limits.KeepaliveInterval.TotalMilliseconds)
            {
                session.Send(ClientSession.Keepalive);
            }
        }
    }

    private XmlElement Ping(ClientSession session)
    {
        var iq = new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "get")
            .SetAttribute("id", "idle-" + Guid.NewGuid().ToString("N")[..8])
            .SetAttribute("from", server.Domain)
            .SetAttribute("to", session.FullJid.ToString());
        iq.AddElement("ping", Namespaces.Ping);
        return iq;
    }
}
