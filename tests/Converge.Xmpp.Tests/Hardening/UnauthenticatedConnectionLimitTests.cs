using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>Limits.Client.MaxUnauthenticatedPerAddress: one address cannot fill the server with negotiations.</summary>
public sealed class UnauthenticatedConnectionLimitTests
{
    [Fact]
    public async Task The_21st_unauthenticated_connection_from_one_address_is_refused_until_one_authenticates()
    {
        await using var server = await TestServer.StartAsync();
        var strangers = new List<TestClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = await TestClient.ConnectAsync(server.Endpoint);
                if (i == 0)
                {
                    await client.StartTlsAsync(); // this one will log in later
                }
                else
                {
                    await client.ExpectAsync(e => e.Name == "features");
                }

                strangers.Add(client);
            }

            await using (var refused = await TestClient.ConnectAsync(server.Endpoint))
            {
                Assert.Equal("policy-violation", await refused.ExpectStreamEndAsync());
            }

            // One of the twenty logs in: it is no stranger any more, and its place is free at once.
            await strangers[0].AuthenticatePlainAsync("alice", "secret-alice");
            await using var admitted = await TestClient.ConnectAsync(server.Endpoint);
            await admitted.ExpectAsync(e => e.Name == "features");
        }
        finally
        {
            foreach (var client in strangers)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_direct_tls_port_shares_the_same_count()
    {
        await using var server = await TestServer.StartAsync(c => c.MaxUnauthenticatedPerAddress = 2);
        await using var first = await TestClient.ConnectAsync(server.Endpoint);
        await first.ExpectAsync(e => e.Name == "features");
        await using var second = await TestClient.ConnectAsync(server.DirectTlsEndpoint, directTls: true);
        await second.ExpectAsync(e => e.Name == "features");

        await using var third = await TestClient.ConnectAsync(server.Endpoint);
        Assert.Equal("policy-violation", await third.ExpectStreamEndAsync());
    }
}
