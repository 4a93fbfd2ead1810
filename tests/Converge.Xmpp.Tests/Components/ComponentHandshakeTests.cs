using Converge.Xmpp.Components;
using Converge.Xmpp.ExternalServices;

namespace Converge.Xmpp.Tests.Components;

/// <summary>The XEP-0114 handshake digest and the coturn TURN credentials, against values computed independently (Python's hashlib/hmac).</summary>
public sealed class ComponentHandshakeTests
{
    [Fact]
    public void The_handshake_is_the_hex_sha1_of_stream_id_and_secret_in_either_case_and_nothing_else()
    {
        const string Digest = "dd6a2d80349590b4cf66e45ee8361406233567fd";

        Assert.Equal(Digest, ComponentHandshake.Expected("3BF96D32", "sunTzu-secret-0001"));
        Assert.True(ComponentHandshake.Matches("3BF96D32", "sunTzu-secret-0001", Digest));
        Assert.True(ComponentHandshake.Matches("3BF96D32", "sunTzu-secret-0001", Digest.ToUpperInvariant()));
        Assert.False(ComponentHandshake.Matches("3BF96D33", "sunTzu-secret-0001", Digest)); // another stream's proof does not replay
        Assert.False(ComponentHandshake.Matches("3BF96D32", "sunTzu-secret-0002", Digest));
        Assert.False(ComponentHandshake.Matches("3BF96D32", "sunTzu-secret-0001", Digest[..39]));
        Assert.False(ComponentHandshake.Matches("3BF96D32", "sunTzu-secret-0001", ""));
    }

    [Fact]
    public void Turn_credentials_carry_their_expiry_and_the_hmac_coturn_checks()
    {
        var now = new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero);

        var (username, password, expires) = TurnCredentials.Make("coturn-static-secret", "alice@a.example", now, TimeSpan.FromHours(1));

        Assert.Equal("1767225600:alice@a.example", username);
        Assert.Equal("SU1gy/gwNQYxgtDsjKbnfQ7dM4Y=", password);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), expires);
    }
}
