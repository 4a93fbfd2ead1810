namespace Converge.Xmpp.Federation;

/// <summary>One place to try for a peer's server-to-server service: a host, a port, and whether TLS starts at once (XEP-0368).</summary>
internal sealed record PeerEndpoint(string Host, int Port, bool DirectTls)
{
    public override string ToString() => DirectTls ? $"{Host}:{Port} (direct TLS)" : $"{Host}:{Port}";
}
