namespace Converge.Interworking.Sms.Esme;

/// <summary>The SMSC's TLS certificate was refused (<see cref="SmscCertificateCheck"/>): nothing was sent on that connection.</summary>
internal sealed class SmscCertificateRefusedException(string reason) : Exception(reason);
