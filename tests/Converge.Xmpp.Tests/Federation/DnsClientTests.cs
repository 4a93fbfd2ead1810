using System.Net;
using Converge.Xmpp.Federation.Dns;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>The stub resolver against a local responder, and its message decoder against what the network may send.</summary>
public sealed class DnsClientTests
{
    [Fact]
    public async Task A_truncated_udp_answer_is_asked_again_over_tcp()
    {
        await using var dns = new TestDnsResponder { TruncateUdp = true };
        dns.AddSrv("_xmpp-server._tcp.big.example", 0, 5, 5269, "xmpp.big.example");

        var answer = await new DnsClient(dns.Endpoint).QueryAsync("_xmpp-server._tcp.big.example", DnsRecordType.Srv, CancellationToken.None);

        Assert.Equal([new SrvRecord(0, 5, 5269, "xmpp.big.example")], answer.Services);
        Assert.Equal(1, dns.TcpQuestions);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_a_name_error_not_a_failure()
    {
        await using var dns = new TestDnsResponder();

        var answer = await new DnsClient(dns.Endpoint).QueryAsync("nowhere.example", DnsRecordType.A, CancellationToken.None);

        Assert.True(answer.IsNameError);
        Assert.Empty(answer.Addresses);
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_a_failed_answer_in_bounded_time()
    {
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var answer = await new DnsClient((IPEndPoint)silent.Client.LocalEndPoint!, TimeSpan.FromMilliseconds(200)).QueryAsync("slow.example", DnsRecordType.Srv, CancellationToken.None);

        Assert.Equal(DnsResponseCode.ServerFailure, answer.Code);
    }

    [Fact]
    public void Every_truncation_and_corruption_of_a_response_is_rejected_or_read_without_throwing()
    {
        var response = ValidSrvResponse();
        for (var length = 0; length < response.Length; length++)
        {
            DnsMessage.TryParse(response.AsSpan(0, length), 0xABCD, DnsRecordType.Srv, out _, out _);
        }

        var random = new Random(20250101);
        for (var i = 0; i < 5000; i++)
        {
            var corrupt = (byte[])response.Clone();
            corrupt[random.Next(2, corrupt.Length)] = (byte)random.Next(256);
            DnsMessage.TryParse(corrupt, 0xABCD, DnsRecordType.Srv, out _, out _);
        }

        Assert.True(DnsMessage.TryParse(response, 0xABCD, DnsRecordType.Srv, out var answer, out _));
        Assert.Equal([new SrvRecord(10, 20, 5269, "xmpp.b.example")], answer.Services);
    }

    [Fact]
    public void An_answer_to_another_query_id_is_not_taken()
    {
        Assert.False(DnsMessage.TryParse(ValidSrvResponse(), 0x1234, DnsRecordType.Srv, out _, out _));
    }

    [Fact]
    public void A_compression_pointer_loop_is_rejected()
    {
        var response = ValidSrvResponse();
        var targetStart = response.Length - 7;
        response[^2] = 0xC0;
        response[^1] = (byte)targetStart; // the SRV target now points back at itself

        Assert.False(DnsMessage.TryParse(response, 0xABCD, DnsRecordType.Srv, out _, out _));
    }

    /// <summary>A response for _xmpp-server._tcp.b.example: SRV 10 20 5269 xmpp.b.example, names compressed against the question.</summary>
    private static byte[] ValidSrvResponse()
    {
        const string header = "abcd" + "8580" + "0001" + "0001" + "0000" + "0000";
        const string question = "0c5f786d70702d736572766572" + "045f746370" + "0162" + "076578616d706c65" + "00" + "0021" + "0001";

        // The owner name points at the question (offset 12); the target is "xmpp" then a pointer to "b.example" (offset 30).
        const string answer = "c00c" + "0021" + "0001" + "0000003c" + "000d" + "000a" + "0014" + "1495" + "04786d7070" + "c01e";
        return Convert.FromHexString(header + question + answer);
    }
}
