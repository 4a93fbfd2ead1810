using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Pep;

/// <summary>
/// PEP node affiliations and subscriptions (XEP-0060 §5.6, §5.7, §8.8.1, §8.9) with slixmpp's xep_0060 plugin:
/// the owner grants a whitelist node to a member and a publisher and bars an outcast; non-owners cannot
/// change anything; the grants survive a SIGKILL and restart.
/// </summary>
public sealed class PepAffiliationsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_owner_grants_and_bars_access_by_affiliation_others_cannot_and_it_survives_a_restart()
    {
        await using var server = await new ConvergeServer().StartAsync();
        string[] accounts = ["--alice", PeerScripts.Account("alice"), "--bob", PeerScripts.Account("bob"), "--carol", PeerScripts.Account("carol"), "--dave", PeerScripts.Account("dave")];

        await using (var grant = PeerScripts.StartPython(server, "pep_affiliations.py", [.. accounts, "--phase", "grant"]))
        {
            await ScenarioAssert.PassesAsync(
                grant,
                server,
                output,
                "^BEFORE bob plans=not-allowed/closed-node$",
                "^GRANTED plans bob=1 carol=1 dave=forbidden; board carol=1 dave=forbidden$",
                "^HOSTILE bob owner=forbidden bob grants dave=forbidden dave lists=forbidden; second owner=not-acceptable$",
                "^NODE-AFFILIATIONS alice=owner bob=member carol=publisher dave=outcast$",
                "^OWN-AFFILIATIONS bob=member alice=owner,owner$",
                "^SUBSCRIPTIONS alice=1 bob=0 plans-subscribers=1$",
                "^REVOKED bob plans=not-allowed/closed-node$",
                "^PASS$");
        }

        await server.KillAsync();
        await server.RestartAsync();

        await using var check = PeerScripts.StartPython(server, "pep_affiliations.py", [.. accounts, "--phase", "check"]);
        await ScenarioAssert.PassesAsync(check, server, output, "^KEPT carol=publisher dave=outcast bob=none after the restart$", "^PASS$");
    }
}
