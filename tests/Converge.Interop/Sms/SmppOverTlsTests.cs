using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Federation;
using Converge.Interop.Support;
using Converge.Testing;

namespace Converge.Interop.Sms;

/// <summary>
/// Issue 15 item 5, SMPP over TLS (<c>Sms.Tls</c>): the SMSC simulator behind stunnel4 as its TLS
/// terminator, with certificates of a throwaway CA. With the right certificate an SMS goes out and one
/// comes back over TLS; with a certificate of another CA or for another name the ESME refuses the SMSC,
/// says so in one log line, and no bind (so no password, no submit_sm) reaches the SMSC at all.
/// Each test has a network of its own: they count the network's events.
/// </summary>
public sealed class SmppOverTlsTests
{
    private const string SmscName = "smsc.test";
    private static readonly Subscriber Mary = SmsWorld.Mary;
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_sms_goes_out_and_one_comes_back_over_tls_to_an_smsc_whose_certificate_chains_to_the_configured_ca()
    {
        using var ca = PeerServerFiles.CertificateAuthority("Converge test SMSC CA");
        await using var network = await SmscSimulator.StartAsync();
        var (certificate, key) = PeerServerFiles.CertificatePem(SmscName, ca);
        await using var tls = await SmscTlsTerminator.StartAsync(network.SmppPort, certificate, key);
        await using var server = await StartAsync(network, "tlsok", tls.Port, ca, SmsWorld.SmppBound("tlsok"));

        Assert.Contains($"TLS (Tls", server.Log, StringComparison.Ordinal);
        Assert.Contains($"certificate valid for {SmscName}", server.Log, StringComparison.Ordinal);

        const string peter = "+4915130000001";
        await using var mary = await CpmClient.StartAsync(server.ClientPort, Mary, () => server.Log + "\n--- stunnel:\n" + tls.Log);
        await mary.SendAsync($"{peter}@{ConvergeServer.Domain}", "Over TLS, Peter");
        var inbox = await network.ExpectInboxAsync(peter, 1, Arrival, () => server.Log + "\n--- stunnel:\n" + tls.Log + "\n--- SMSC:\n" + network.Log);
        Assert.Equal("Over TLS, Peter", inbox[0].Text);

        await network.SendAsync(peter, Mary.Msisdn!, "Got it, over TLS too");
        var reply = await mary.MessageAsync(m => m.From == $"{peter}@{ConvergeServer.Domain}", "Peter's SMS reply (deliver_sm over TLS)");
        Assert.Equal("Got it, over TLS too", reply.Body);
    }

    [Fact]
    public async Task An_smsc_certificate_of_another_ca_is_refused_and_nothing_reaches_the_smsc()
    {
        using var ca = PeerServerFiles.CertificateAuthority("Converge test SMSC CA");
        using var other = PeerServerFiles.CertificateAuthority("Somebody else's CA");
        var (certificate, key) = PeerServerFiles.CertificatePem(SmscName, other);
        await RefusedAsync(ca, certificate, key, "tlsca", "does not chain to Sms.Tls.CertificateAuthority");
    }

    [Fact]
    public async Task An_smsc_certificate_for_another_name_is_refused_and_nothing_reaches_the_smsc()
    {
        using var ca = PeerServerFiles.CertificateAuthority("Converge test SMSC CA");
        var (certificate, key) = PeerServerFiles.CertificatePem("elsewhere.test", ca);
        await RefusedAsync(ca, certificate, key, "tlsname", $"does not name {SmscName}");
    }

    private static async Task RefusedAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 trusted, string certificate, string key, string systemId, string why)
    {
        await using var network = await SmscSimulator.StartAsync();
        await using var tls = await SmscTlsTerminator.StartAsync(network.SmppPort, certificate, key);
        await using var server = await StartAsync(network, systemId, tls.Port, trusted, ("the certificate refusal", l => l.Contains("TLS certificate is refused", StringComparison.Ordinal)));

        var refusal = await server.WaitForLogLineAsync(l => l.Contains("TLS certificate is refused", StringComparison.Ordinal), Arrival, "certificate refusal");
        Assert.Contains(why, refusal, StringComparison.Ordinal);
        Assert.Contains("nothing is sent", refusal, StringComparison.Ordinal);

        // Mary writes while the SMSC is refused; the ESME keeps trying (each time refused) and never falls back to clear text.
        const string peter = "+4915130000002";
        await using var mary = await CpmClient.StartAsync(server.ClientPort, Mary, () => server.Log);
        await mary.SendAsync($"{peter}@{ConvergeServer.Domain}", "Must not leave in clear");
        await mary.SyncAsync();
        var refusals = 0;
        await server.WaitForLogLineAsync(l => l.Contains("TLS certificate is refused", StringComparison.Ordinal) && ++refusals == 3, Arrival, "a third certificate refusal after Mary's message");

        Assert.Empty(await network.EventsAsync("bind"));
        Assert.Empty(await network.EventsAsync("submit"));
        Assert.Empty(await network.EventsAsync("pdu"));
        Assert.Empty(await network.MessagesAsync(peter, 0, TimeSpan.Zero));
        Assert.DoesNotContain("bound (SMSC", server.Log, StringComparison.Ordinal);
    }

    private static async Task<ConvergeServer> StartAsync(
        SmscSimulator network, string systemId, int tlsPort, System.Security.Cryptography.X509Certificates.X509Certificate2 trusted, (string, Func<string, bool>) readyWhen)
    {
        await network.AddProviderAsync(systemId, SmsWorld.SmppPassword, "+4917000", "+4940555");
        var caFile = Path.Combine(Path.GetTempPath(), $"converge-smsc-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(caFile, trusted.ExportCertificatePem() + "\n");
        var sms = SmsWorld.SmsSection(network, systemId, SmsWorld.SourceNumbers);
        sms["Smsc"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{tlsPort}");
        sms["Tls"] = new JsonObject { ["Enabled"] = true, ["ServerName"] = SmscName, ["CertificateAuthority"] = caFile };
        return await new ConvergeServer
        {
            Users = [Mary.Name],
            UserOptions = new Dictionary<string, IReadOnlyList<string>> { [Mary.Name] = Mary.AddOptions },
            ExtraConfig = new JsonObject { ["Sms"] = sms },
            ReadyWhen = [readyWhen],
        }.StartAsync();
    }
}
