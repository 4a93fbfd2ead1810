using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Dialback keys (XEP-0185): bound to both domains and the stream id, checkable without state.</summary>
public sealed class DialbackKeysTests
{
    [Fact]
    public void A_key_is_hmac_sha256_of_receiving_originating_and_stream_id_keyed_with_the_hex_sha256_of_the_secret()
    {
        // Computed independently (Python hmac/hashlib) the way Prosody does it.
        var key = new DialbackKeys("s3cr3tf0rd14lb4ck").Generate("example.net", "example.com", "D60000229F");

        Assert.Equal("008c689ff366b50c63d69a3e2d2c0e0e1f8404b0118eb688a0102c87cb691bdc", key);
    }

    [Theory]
    [InlineData("other.net", "example.com", "D60000229F")]
    [InlineData("example.net", "other.com", "D60000229F")]
    [InlineData("example.net", "example.com", "D60000229G")]
    public void A_key_verifies_only_for_the_domains_and_stream_it_was_made_for(string receiving, string originating, string streamId)
    {
        var keys = new DialbackKeys("secret");
        var key = keys.Generate("example.net", "example.com", "D60000229F");

        Assert.True(keys.Verify("example.net", "example.com", "D60000229F", key));
        Assert.False(keys.Verify(receiving, originating, streamId, key));
    }

    [Fact]
    public void Servers_with_different_secrets_do_not_accept_each_others_keys()
    {
        var key = new DialbackKeys(null).Generate("b.test", "a.test", "s1");

        Assert.False(new DialbackKeys(null).Verify("b.test", "a.test", "s1", key));
    }
}
