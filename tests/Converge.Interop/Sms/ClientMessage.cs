namespace Converge.Interop.Sms;

/// <summary>A message stanza the CPM user's slixmpp client received, as cpm_client.py reports it.</summary>
/// <param name="Received">The id in a XEP-0184 &lt;received/&gt;, if the stanza carries one.</param>
/// <param name="Session">The XEP-0155 negotiation form, if the stanza carries one.</param>
/// <param name="Error">The stanza error of a type="error" message.</param>
internal sealed record ClientMessage(
    string From, string To, string Type, string? Id, string? Body, string? Thread, string? Received, SessionForm? Session, ClientError? Error)
{
    public bool IsSessionRequest => Session is { Form: "form" };

    public bool IsSessionAccept => Session is { Form: "submit", Terminate: null, Accept: "1" or "true" };

    public bool IsSessionDecline => Session is { Form: "submit", Terminate: null, Accept: "0" or "false" };

    public bool IsSessionTerminate => Session is { Terminate: "1" or "true" };
}
