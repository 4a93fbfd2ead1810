namespace Converge.Interop.Sms;

/// <summary>An IQ result or error the slixmpp client received, as cpm_client.py reports it.</summary>
/// <param name="Payload">Its first child as "{namespace}name", if it has one (the error element aside).</param>
internal sealed record ClientIq(string From, string To, string Type, string? Id, string? Payload);
