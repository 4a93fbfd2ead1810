using System.Security.Cryptography;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// Stream management (XEP-0198) on this connection: enabling, acknowledgements, resumption; and client
/// state indication (XEP-0352), the other nonza a bound client sends.
/// </summary>
internal sealed partial class ClientConnection
{
    /// <summary>XEP-0198 §5: take over a session whose connection was lost, resending what it missed.</summary>
    private async ValueTask<Next> ResumeAsync(XmlElement element, CancellationToken token)
    {
        if (element.Name != "resume")
        {
            await SendNowAsync(SmFailed("unexpected-request", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        var previd = element.GetAttribute("previd") ?? "";
        if (!uint.TryParse(element.GetAttribute("h"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h))
        {
            await SendNowAsync(SmFailed("bad-request", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        // Only the account that created the session may resume it: another user's id is simply unknown.
        if (!_server.Resumable.TryGetValue(previd, out var session) || session.BareJid != _user || session.IsClosed
            || session.StreamManagement is not { } sm)
        {
            await SendNowAsync(SmFailed("item-not-found", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        if (!sm.IsValidAck(h))
        {
            await SendNowAsync(SmFailed("unexpected-request", session.Inbound.StoredCount), token).ConfigureAwait(false);
            return Next.Continue;
        }

        // Stop the old connection (it may not have noticed it is dead) and wait for its writer to let go.
        var previous = session.Attach(this, _cts);
        if (previous is not null)
        {
            Cancel(previous);
        }

        try
        {
            await session.Writer.WaitAsync(TimeSpan.FromSeconds(5), token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StreamError("internal-server-error", "The previous connection did not let go of the session.");
        }

        sm.Acknowledge(h);

        // The client sends again whatever this count does not cover, so it counts only what is stored.
        var stored = await session.Inbound.StoredCountAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
        session.Inbound.ResumeFrom(stored);
        await SendNowAsync(
            new XmlElement("resumed", StreamManagement.Namespace)
                .SetAttribute("previd", previd)
                .SetAttribute("h", stored.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            token).ConfigureAwait(false);
        Carry(session, resend: true);
        LogResumed(_log, session.FullJid.ToString(), sm.UnackedCount);
        return Next.Continue;
    }

    private static XmlElement SmFailed(string condition, uint? h)
    {
        var failed = new XmlElement("failed", StreamManagement.Namespace);
        if (h is { } value)
        {
            failed.SetAttribute("h", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        failed.AddElement(condition, Namespaces.Stanzas);
        return failed;
    }

    /// <summary>Stream management and client state nonzas on a bound stream.</summary>
    private Next Nonza(ClientSession session, XmlElement element)
    {
        if (element.Namespace == Namespaces.Csi)
        {
            session.SetInactive(element.Name == "inactive");
            return Next.Continue;
        }

        var sm = session.StreamManagement;
        switch (element.Name)
        {
            case "enable" when sm is null:
                var resume = element.GetAttribute("resume") is "true" or "1";
                var id = resume ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) : null;
                session.StreamManagement = new StreamManagement(id);
                session.Inbound.Restart();
                var enabled = new XmlElement("enabled", StreamManagement.Namespace);
                if (id is not null)
                {
                    _server.Resumable[id] = session;
                    var max = (int)_server.Options.Client.ResumeTimeout.TotalSeconds;
                    enabled.SetAttribute("id", id).SetAttribute("resume", "true").SetAttribute("max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                session.SendNonza(enabled);
                return Next.Continue;
            case "r" when sm is not null:
                // Answered once what was handled so far is stored; the read loop does not wait for that.
                var stored = session.Inbound.StoredCountAsync();
                if (stored.IsCompletedSuccessfully)
                {
                    SendAck(session, stored.Result);
                }
                else
                {
                    _ = AckWhenStoredAsync(session, stored);
                }

                return Next.Continue;
            case "a" when sm is not null:
                if (!uint.TryParse(element.GetAttribute("h"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h))
                {
                    throw new StreamError("invalid-xml", "<a/> needs a numeric 'h'.");
                }

                // The writer owns the unacknowledged queue and checks the count against what it sent.
                session.ClientAcknowledged(h);
                return Next.Continue;
            default:
                session.SendNonza(SmFailed("unexpected-request", sm is null ? null : session.Inbound.StoredCount));
                return Next.Continue;
        }
    }

    private static void SendAck(ClientSession session, uint h) => session.Inbound.Answer(h, static (s, value) =>
        s.SendNonza(new XmlElement("a", StreamManagement.Namespace).SetAttribute("h", value.ToString(System.Globalization.CultureInfo.InvariantCulture))), session);

    private static async Task AckWhenStoredAsync(ClientSession session, ValueTask<uint> stored) =>
        SendAck(session, await stored.ConfigureAwait(false));
}
