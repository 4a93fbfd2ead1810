namespace Converge.Interop.Email;

/// <summary>A message stanza the CPM user's slixmpp client received, as cpm_client.py reports it.</summary>
/// <param name="Session">The XEP-0155 negotiation form, if the stanza carries one.</param>
/// <param name="Error">The stanza error of a type="error" message.</param>
internal sealed record ChatMessage(
    string From, string To, string Type, string? Id, string? Body, string? Subject, string? Thread, ChatSessionForm? Session, ChatError? Error)
{
    public string BareFrom => From.Split('/')[0];

    public bool IsSessionAccept => Session is { Form: "submit", Terminate: null, Accept: "1" or "true" };
}
