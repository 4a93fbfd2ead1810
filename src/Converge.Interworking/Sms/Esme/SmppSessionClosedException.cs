namespace Converge.Interworking.Sms.Esme;

/// <summary>The session ended (connection lost, unbound, framing error) before a request was answered.</summary>
internal sealed class SmppSessionClosedException(string reason) : Exception(reason);
