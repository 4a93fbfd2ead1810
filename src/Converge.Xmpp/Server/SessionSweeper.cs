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
        var shortest = Math.Min(Math.Min(limits.IdleTimeout.TotalMilliseconds, limits.KeepaliveInterval.TotalMilliseconds), limits.ResumeTimeout.TotalMilliseconds);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(shortest / 4, 100, 15_000));
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
            try
            {
                SweepOne(session, now, limits);
            }
            catch (ObjectDisposedException)
            {
                // The connection ended while we looked at it.
            }
        }
    }

    private void SweepOne(ClientSession session, long now, ClientLimits limits)
    {
        if (session.Connection is null)
        {
            // Detached (XEP-0198): end it when the resumption window has passed.
            if (session.IsClosed || now - session.DetachedSinceTicks > limits.ResumeTimeout.TotalMilliseconds)
            {
                _ = server.EndSessionAsync(session, null);
            }

            return;
        }

        var silentFor = now - session.LastReceivedTicks;
        if (silentFor < limits.IdleTimeout.TotalMilliseconds)
        {
            session.IdlePingTicks = 0;
        }
        else if (session.IdlePingTicks == 0)
        {
            session.IdlePingTicks = now;
            session.Send(Ping(session));
            return;
        }
        else if (now - session.IdlePingTicks > PingGrace.TotalMilliseconds)
        {
            if (session.StreamManagement?.ResumptionId is not null)
            {
                session.ConnectionCancellation?.Cancel(); // dead connection: keep the session for resumption
            }
            else
            {
                session.Close(new StreamError("connection-timeout", "No answer to a ping."));
            }

            return;
        }

        if (now - session.LastSentTicks >= limits.KeepaliveInterval.TotalMilliseconds)
        {
            session.SendKeepalive();
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
