using System.Net;
using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email;

public sealed class DnsMessageTests
{
    // A response to "mail.test MX": one MX (pref 10, "mx1" + pointer to mail.test) and the A glue for it.
    private static readonly byte[] Response =
    [
        0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x04, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0x00, 0x00, 0x0F, 0x00, 0x01,
        0xC0, 0x0C, 0x00, 0x0F, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x08, 0x00, 0x0A, 0x03, (byte)'m', (byte)'x', (byte)'1', 0xC0, 0x0C,
        0xC0, 0x29, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 0x7F, 0x00, 0x00, 0x01,
    ];

    [Fact]
    public void An_mx_answer_with_compressed_names_and_glue_is_read()
    {
        var response = DnsMessage.Parse(Response);

        Assert.Equal(0x1234, response.Id);
        Assert.Equal(DnsResponse.NoError, response.ResponseCode);
        var mx = Assert.Single(response.Answers);
        Assert.Equal(("mail.test", 10, "mx1.mail.test"), (mx.Name, mx.Preference, mx.Target));
        var glue = Assert.Single(response.Additional);
        Assert.Equal(("mx1.mail.test", IPAddress.Loopback), (glue.Name, glue.Address));
    }

    [Fact]
    public void A_null_mx_reads_as_the_root()
    {
        byte[] nullMx =
        [
            0x00, 0x01, 0x81, 0x80, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
            0x01, (byte)'x', 0x00, 0x00, 0x0F, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x03, 0x00, 0x00, 0x00,
        ];

        Assert.Equal(".", Assert.Single(DnsMessage.Parse(nullMx).Answers).Target);
    }

    [Fact]
    public void Every_truncation_of_a_response_is_refused_rather_than_misread()
    {
        for (var length = 0; length < Response.Length; length++)
        {
            Assert.Throws<FormatException>(() => DnsMessage.Parse(Response.AsSpan(0, length)));
        }
    }

    [Fact]
    public void A_compression_pointer_loop_is_refused()
    {
        byte[] loop = [0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x0C, 0x00, 0x0F, 0x00, 0x01];

        Assert.Throws<FormatException>(() => DnsMessage.Parse(loop));
    }

    [Fact]
    public void A_query_is_recursive_for_one_question_with_an_edns_record()
    {
        var query = DnsMessage.BuildQuery(0xBEEF, "mail.test", DnsRecordType.Mx);

        Assert.Equal([0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], query[..12]);
        Assert.Equal(Response[12..27], query[12..27]);
        Assert.Throws<ArgumentException>(() => DnsMessage.BuildQuery(1, "bad..name", DnsRecordType.A));
    }

    [Theory]
    [InlineData("smtp.example:2526", "smtp.example", 2526)]
    [InlineData("smtp.example", "smtp.example", 25)]
    [InlineData("127.0.0.1:2526", "127.0.0.1", 2526)]
    [InlineData("[::1]:2526", "::1", 2526)]
    public void Relay_endpoints_are_host_and_port(string relay, string host, int port)
    {
        Assert.Equal((host, port), SmtpSender.ParseRelay(relay));
    }

    [Theory]
    [InlineData("smtp.example:port")]
    [InlineData(":25")]
    [InlineData("smtp.example:70000")]
    public void Relay_endpoints_that_are_not_host_and_port_are_refused(string relay)
    {
        Assert.Throws<ArgumentException>(() => SmtpSender.ParseRelay(relay));
    }
}
