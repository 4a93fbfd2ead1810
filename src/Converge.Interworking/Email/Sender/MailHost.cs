using System.Net;

namespace Converge.Interworking.Email;

/// <summary>A server to try: its name (for TLS and logs), its addresses and port.</summary>
internal sealed record MailHost(string Name, IReadOnlyList<IPAddress> Addresses, int Port);
