using System.Text;
using System.Xml.Linq;
using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Scenarios;

/// <summary>What the server does with clients that get things wrong, and that nobody else suffers for it.</summary>
public sealed class MisbehavingClientTests(ConvergeServer server, ITestOutputHelper output) : IClassFixture<ConvergeServer>
{
    private static readonly XNamespace Streams = RawXmppConnection.Streams;
    private static readonly XNamespace Tls = RawXmppConnection.Tls;
    private static readonly XNamespace Sasl = RawXmppConnection.Sasl;

    [Fact]
    public async Task Wrong_password_fails_with_sasl_not_authorized()
    {
        await using var peer = PeerScripts.StartPython(server, "wrong_password.py", "--user", "alice:not-her-password");

        await ScenarioAssert.PassesAsync(
            peer,
            server,
            output,
            "^AUTH-FAILED condition=not-authorized mechanism=SCRAM-SHA-\\S+ tls=True$",
            "^PASS$");
    }

    [Fact]
    public async Task Plaintext_auth_before_starttls_is_refused_and_features_say_starttls_is_required()
    {
        await using var connection = await RawXmppConnection.ConnectAsync(server.ClientPort);
        await connection.OpenStreamAsync(ConvergeServer.Domain);

        var features = await connection.ReadUntilAsync(e => e.Name == Streams + "features", "stream features");
        output.WriteLine(features.ToString());
        var starttls = features.Element(Tls + "starttls");
        Assert.True(starttls is not null, $"no STARTTLS offered before TLS: {features}");
        Assert.True(starttls.Element(Tls + "required") is not null, $"STARTTLS is not marked required: {features}");

        // Right credentials, wrong moment: PLAIN would put the password on the wire in clear.
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0alice\0{ConvergeServer.Password}"));
        await connection.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>");

        var answer = await connection.ReadUntilAsync(
            e => e.Name.Namespace == Sasl || e.Name == Streams + "error", "an answer to <auth/> before STARTTLS");
        output.WriteLine(answer.ToString());
        Assert.True(
            answer.Name == Sasl + "failure" || answer.Name == Streams + "error",
            $"auth before STARTTLS was answered with {answer}; expected a SASL <failure/> or a <stream:error/>\n--- received:\n{connection.Received}");
    }

    [Fact]
    public async Task Malformed_xml_gets_not_well_formed_stream_error_and_close_while_other_sessions_carry_on()
    {
        await using var bystanders = PeerScripts.StartPython(
            server, "bystanders.py", "--carol", PeerScripts.Account("carol"), "--dave", PeerScripts.Account("dave"));
        Assert.True(
            await bystanders.WaitForLineAsync("READY", PeerScripts.ScenarioTimeout),
            $"carol and dave did not log in:\n{bystanders.Output.Text}\n--- server log:\n{server.Log}");

        await using (var connection = await RawXmppConnection.ConnectAsync(server.ClientPort))
        {
            await connection.OpenStreamAsync(ConvergeServer.Domain);
            await connection.ReadUntilAsync(e => e.Name == Streams + "features", "stream features");
            await connection.SendAsync("<message to='dave@localhost'><body>unclosed</message>");

            var error = await connection.ReadUntilAsync(e => e.Name == Streams + "error", "<stream:error/>");
            output.WriteLine(error.ToString());
            Assert.True(
                error.Element(RawXmppConnection.StreamErrors + "not-well-formed") is not null,
                $"the stream error is not <not-well-formed/>: {error}");
            Assert.True(await connection.WaitForServerCloseAsync(), $"the server kept the connection open:\n{connection.Received}");
            Assert.True(connection.StreamClosedByServer, $"the server did not close the stream element:\n{connection.Received}");
        }

        await bystanders.WriteLineAsync("GO");
        await ScenarioAssert.PassesAsync(
            bystanders,
            server,
            output,
            "^STILL-CONNECTED carol dave$",
            "^DELIVERED dave from carol$",
            "^PASS$");
    }
}
