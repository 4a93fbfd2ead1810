namespace Converge.Xmpp.Server;

/// <summary>One bound client session as an operator sees it (admin API, <c>converge session list</c>).</summary>
/// <param name="Listener">c2s or c2s_direct_tls.</param>
/// <param name="Available">Whether it sent available presence.</param>
/// <param name="Detached">Whether its connection is gone and it waits for resumption (XEP-0198).</param>
public sealed record SessionReport(string Jid, string Listener, bool Available, int Priority, bool Detached, DateTimeOffset Started);
