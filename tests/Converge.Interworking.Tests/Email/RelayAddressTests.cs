using Converge.Interworking.Email;

namespace Converge.Interworking.Tests.Email;

/// <summary>The smart host setting: "host:port", "[v6]:port" or a bare host on port 25.</summary>
public sealed class RelayAddressTests
{
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
