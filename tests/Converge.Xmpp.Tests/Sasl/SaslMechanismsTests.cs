using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>What the server offers on a connection, and that it only creates what it offered.</summary>
public sealed class SaslMechanismsTests
{
    private static readonly string[] AllMechanisms = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    [Fact]
    public void Tls_with_channel_binding_offers_plus_first_and_plain_last()
    {
        Assert.Equal(AllMechanisms, SaslMechanisms.Offered(tls: true, SaslTestAccounts.Binding));
    }

    [Fact]
    public void Tls_without_channel_binding_offers_no_plus()
    {
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], SaslMechanisms.Offered(tls: true, binding: null));
    }

    [Fact]
    public void Plain_is_not_offered_without_tls()
    {
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1"], SaslMechanisms.Offered(tls: false, binding: null));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Create_returns_a_server_exactly_for_the_offered_mechanisms(bool tls, bool withBinding)
    {
        var binding = withBinding ? SaslTestAccounts.Binding : null;
        var offered = SaslMechanisms.Offered(tls, binding);

        foreach (var mechanism in AllMechanisms.Append("DIGEST-MD5").Append("scram-sha-256"))
        {
            var server = SaslMechanisms.Create(mechanism, tls, binding, SaslTestAccounts.Lookup);
            Assert.Equal(offered.Contains(mechanism), server is not null);
            Assert.Equal(server is null ? null : mechanism, server?.Mechanism);
        }
    }

    [Fact]
    public void Non_plus_scram_created_beside_plus_refuses_the_y_downgrade()
    {
        var server = SaslMechanisms.Create("SCRAM-SHA-256", tls: true, SaslTestAccounts.Binding, SaslTestAccounts.Lookup)!;

        var step = server.Evaluate(new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = "y,," }.ClientFirst());

        Assert.Equal("not-authorized", step.FailureCondition);
    }
}
