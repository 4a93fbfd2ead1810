using Converge.Xmpp.Sasl;
using Converge.Xmpp.Tests.Sasl;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Server;

/// <summary>SCRAM exchanges carried over a real XMPP stream: base64 framing, challenge/response, success data.</summary>
public sealed class ScramOverXmppTests
{
    private const string SaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";

    private static async Task<string> RunAsync(TestClient client, string mechanism, TestScramClient scram)
    {
        await client.ExpectAsync(e => e.Name == "features");
        await client.SendAsync($"<auth xmlns='{SaslNs}' mechanism='{mechanism}'>{Convert.ToBase64String(scram.ClientFirst())}</auth>");
        var challenge = await client.ExpectAsync(e => e.Namespace == SaslNs);
        if (challenge.Name != "challenge")
        {
            return challenge.FirstElement()!.Name;
        }

        var final = scram.ClientFinal(Convert.FromBase64String(challenge.Text));
        await client.SendAsync($"<response xmlns='{SaslNs}'>{Convert.ToBase64String(final)}</response>");
        var outcome = await client.ExpectAsync(e => e.Namespace == SaslNs);
        if (outcome.Name != "success")
        {
            return outcome.FirstElement()!.Name;
        }

        Assert.True(scram.VerifyServerFinal(Convert.FromBase64String(outcome.Text)), "the server proved it knows the ServerKey");
        return "success";
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "SHA-256")]
    [InlineData("SCRAM-SHA-1", "SHA-1")]
    public async Task Scram_login_succeeds_with_the_right_password(string mechanism, string hash)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        Assert.Equal("success", await RunAsync(client, mechanism, new TestScramClient(hash, "alice", "secret-alice")));
    }

    [Fact]
    public async Task Scram_with_a_wrong_password_is_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        Assert.Equal("not-authorized", await RunAsync(client, "SCRAM-SHA-256", new TestScramClient("SHA-256", "alice", "guess")));
    }

    [Fact]
    public async Task Scram_plus_binds_to_the_server_certificate()
    {
        await using var server = await TestServer.StartAsync(channelBinding: true);
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        var binding = ChannelBindings.TlsServerEndPoint(server.Server.Options.Certificate);
        var scram = new TestScramClient("SHA-256", "alice", "secret-alice") { Gs2Header = "p=tls-server-end-point,,", ChannelBindingData = binding };
        Assert.Equal("success", await RunAsync(client, "SCRAM-SHA-256-PLUS", scram));
    }

    [Fact]
    public async Task Scram_plus_with_another_certificates_binding_is_refused()
    {
        await using var server = await TestServer.StartAsync(channelBinding: true);
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        var scram = new TestScramClient("SHA-256", "alice", "secret-alice") { Gs2Header = "p=tls-server-end-point,,", ChannelBindingData = new byte[32] };
        Assert.Equal("not-authorized", await RunAsync(client, "SCRAM-SHA-256-PLUS", scram));
    }
}
