using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>
/// Unmodified slixmpp clients exchange stanzas of up to 200 KB (a dozen TLS records each) both
/// ways, through TLS connections whose OpenSSL buffers Converge frees whenever they wait for the
/// peer: every byte arrives, in order, and the connections stay up.
/// </summary>
public sealed class LargeRecordsTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    [Fact]
    public async Task Large_stanzas_cross_connections_whose_tls_buffers_were_freed_while_idle()
    {
        await using var peer = PeerScripts.StartPython(
            server, "large_records.py", "--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"));

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^LOGIN both tls=True$",
            "^ROUND 0 size=40000 both ways intact$",
            "^ROUND 1 size=7 both ways intact$",
            "^ROUND 2 size=120000 both ways intact$",
            "^ROUND 3 size=300 both ways intact$",
            "^ROUND 4 size=200000 both ways intact$",
            "^ROUND 5 size=16384 both ways intact$",
            "^PASS$");
    }
}
