using System.Security.Cryptography;
using System.Text;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>What is stored instead of a password (RFC 5802 §3) and the PLAIN check against it.</summary>
public sealed class ScramCredentialsTests
{
    [Fact]
    public void Derived_keys_follow_rfc5802_section3()
    {
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");

        var credential = ScramCredentials.Derive("SHA-256", "pencil", salt, 4096);

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2("pencil"u8, salt, 4096, HashAlgorithmName.SHA256, 32);
        Assert.Equal(SHA256.HashData(HMACSHA256.HashData(saltedPassword, "Client Key"u8)), credential.StoredKey);
        Assert.Equal(HMACSHA256.HashData(saltedPassword, "Server Key"u8), credential.ServerKey);
        Assert.Equal("SHA-256", credential.Hash);
        Assert.Equal(4096, credential.Iterations);
        Assert.Equal(salt, credential.Salt);
    }

    [Fact]
    public void Sha1_credential_has_20_byte_keys()
    {
        var credential = ScramCredentials.Derive("sha-1", "pencil");

        Assert.Equal("SHA-1", credential.Hash);
        Assert.Equal(20, credential.StoredKey.Length);
        Assert.Equal(20, credential.ServerKey.Length);
    }

    [Fact]
    public void Each_derivation_without_a_salt_gets_a_fresh_16_byte_salt()
    {
        var one = ScramCredentials.Derive("SHA-256", "pencil");
        var two = ScramCredentials.Derive("SHA-256", "pencil");

        Assert.Equal(16, one.Salt.Length);
        Assert.NotEqual(one.Salt, two.Salt);
        Assert.NotEqual(one.StoredKey, two.StoredKey);
    }

    [Theory]
    [InlineData("pencil", true)]
    [InlineData("Pencil", false)]
    [InlineData("pencil ", false)]
    [InlineData("", false)]
    public void VerifyPassword_accepts_only_the_password_it_was_derived_from(string attempt, bool expected)
    {
        var credential = ScramCredentials.Derive("SHA-256", "pencil", iterations: 64);

        Assert.Equal(expected, ScramCredentials.VerifyPassword(credential, attempt));
    }

    [Fact]
    public void SaslPrep_maps_non_ascii_spaces_to_space_and_drops_soft_hyphens()
    {
        var credential = ScramCredentials.Derive("SHA-256", "correct horse", iterations: 64);

        Assert.True(ScramCredentials.VerifyPassword(credential, "correct\u00A0horse"));
        Assert.True(ScramCredentials.VerifyPassword(credential, "cor\u00ADrect\u3000horse"));
    }

    [Fact]
    public void Non_ascii_password_is_derived_from_its_utf8_bytes()
    {
        var salt = new byte[] { 1, 2, 3, 4 };

        var credential = ScramCredentials.Derive("SHA-1", "pässwörd", salt, 64);

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pässwörd"), salt, 64, HashAlgorithmName.SHA1, 20);
        Assert.Equal(HMACSHA1.HashData(saltedPassword, "Server Key"u8), credential.ServerKey);
    }

    [Theory]
    [InlineData("pass\u0007word")]
    [InlineData("pass\uE000word")]
    [InlineData("pass\u200Eword")]
    [InlineData("pass\uD800word")]
    [InlineData("pass\uFFFEword")]
    public void Password_with_a_character_saslprep_prohibits_is_refused(string password)
    {
        Assert.Throws<ArgumentException>(() => ScramCredentials.Derive("SHA-256", password, iterations: 1));
        Assert.False(ScramCredentials.VerifyPassword(ScramCredentials.Derive("SHA-256", "password", iterations: 1), password));
    }

    [Fact]
    public void Unknown_hash_empty_salt_and_zero_iterations_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ScramCredentials.Derive("MD5", "pencil"));
        Assert.Throws<ArgumentException>(() => ScramCredentials.Derive("SHA-256", "pencil", []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScramCredentials.Derive("SHA-256", "pencil", iterations: 0));
    }
}
