namespace Converge.Interworking.Sms.Esme;

/// <summary>The SMSC did not answer a request within <see cref="SmppOptions.ResponseTimeout"/>.</summary>
internal sealed class SmppResponseTimeoutException(string reason) : Exception(reason);
