using System.Security.Cryptography;
using Converge.Core.Addressing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>Resource binding (RFC 6120 §7) and handing the bound session its writer.</summary>
internal sealed partial class ClientConnection
{
    private async ValueTask<Next> BindAsync(XmlElement iq, CancellationToken token)
    {
        var payload = iq.FirstElement();
        var id = iq.GetAttribute("id") ?? "";
        if (payload is { Name: "session", Namespace: Namespaces.Session })
        {
            await SendNowAsync(new XmlElement("iq", Namespaces.Client).SetAttribute("type", "result").SetAttribute("id", id), token).ConfigureAwait(false);
            return Next.Continue;
        }

        if (payload is not { Name: "bind", Namespace: Namespaces.Bind } || iq.GetAttribute("type") != "set")
        {
            throw new StreamError("not-authorized", "Bind a resource first.");
        }

        var requested = payload.ChildText("resource", Namespaces.Bind)?.Trim();
        var resource = string.IsNullOrEmpty(requested) ? NewResource() : requested;
        if (!Jid.TryParse(_user + "/" + resource, out var full) || full.Resource != resource)
        {
            await SendNowAsync(StanzaError.ReplyTo(iq, "bad-request", "That resource is not allowed."), token).ConfigureAwait(false);
            return Next.Continue;
        }

        var session = new ClientSession(full, _server.Options.Client.MaxOutboundQueue, _server.Options.Client.MaxQueuedBytes, _server.PendingWrites)
        {
            Listener = _directTls ? Diagnostics.XmppMetrics.ListenerDirectTls : Diagnostics.XmppMetrics.ListenerClient,
        };
        if (!_server.Sessions.TryAdd(session, _server.Options.Client.MaxSessionsPerAccount, out var replaced))
        {
            await SendNowAsync(StanzaError.ReplyTo(iq, "resource-constraint", "Too many resources are bound to this account."), token).ConfigureAwait(false);
            return Next.Continue;
        }

        Diagnostics.XmppMetrics.SessionBound(_directTls);

        // RFC 6120 §7.7.2.2: the new session takes over the resource; the old one is told why it ends.
        replaced?.Close(new StreamError("conflict", "Replaced by a new connection for the same resource."));

        Carry(session, resend: false);

        var result = new XmlElement("iq", Namespaces.Client).SetAttribute("type", "result").SetAttribute("id", id);
        result.AddElement("bind", Namespaces.Bind).AddElement("jid").AddText(full.ToString());
        session.Send(result);
        LogBound(_log, full.ToString(), _remoteAddress);
        return Next.Continue;
    }

    /// <summary>This connection carries <paramref name="session"/> from now on; its writer loop starts.</summary>
    private void Carry(ClientSession session, bool resend)
    {
        _session = session;
        _state = ClientStreamState.Bound;
        _cts.CancelAfter(Timeout.InfiniteTimeSpan); // negotiated: from now on the idle sweeper watches
        session.Attach(this, _cts);
        session.Writer = session.RunWriterAsync(_transport!.Output, _transport.Framing, resend, _cts.Token);

        // When the writer stops (session closed, connection broken), the read loop stops too.
        _ = session.Writer.ContinueWith(static (_, state) => Cancel((CancellationTokenSource)state!), _cts, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string NewResource() => "converge-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
