using Converge.Interop.Support;
using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// The SMS door as an attacker tries it (DESIGN.md, "Trust boundaries"): a real SMSC (the npm smpp
/// simulator) delivers mobile-originated SMS whose source address is a name or something that reads
/// like an account; none of them may reach Mary's client as a subscriber or a remote user.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class HostileSmsSenderTests(SmsWorld world)
{
    private const byte TonInternational = 1;
    private const byte TonAlphanumeric = 5;
    private const int InvalidSourceAddress = 0x0A; // ESME_RINVSRCADR

    [Fact]
    public async Task An_sms_from_the_alphanumeric_sender_alice_arrives_as_alice_at_sms_and_never_as_the_account_alice()
    {
        await using var mary = await world.ClientAsync(Mary);
        var text = $"Hi Mary, it's alice {Guid.NewGuid():N}";

        await world.Network.SendFromSourceAsync("alice", TonAlphanumeric, Mary.Msisdn!, text);

        var got = await mary.MessageAsync(m => m.Body == text, "the SMS from the sender name alice");
        Assert.Equal($"alice\\40sms@{ConvergeServer.Domain}", Bare(got.From));
        Assert.DoesNotContain(mary.Received, m => Bare(m.From) == $"alice@{ConvergeServer.Domain}");
    }

    [Theory]
    [InlineData("ceo@partner.example/x", TonAlphanumeric)] // 21 characters: over SMPP's source_addr limit as well
    [InlineData("ceo@partner.ex/x", TonAlphanumeric)]
    [InlineData("mary@localhost", TonAlphanumeric)]        // Mary's own JID as a sender
    [InlineData("bob@b.example", TonInternational)]
    public async Task An_sms_from_a_source_that_reads_like_an_account_or_a_remote_user_is_refused_and_nothing_reaches_the_client(string source, byte ton)
    {
        await using var mary = await world.ClientAsync(Mary);
        var hostile = $"Wire the money today {Guid.NewGuid():N}";
        var marker = $"an honest SMS after it {Guid.NewGuid():N}";

        await world.Network.SendFromSourceAsync(source, ton, Mary.Msisdn!, hostile);
        var rejection = await world.Network.WaitForRejectionAsync(SystemId, source, TimeSpan.FromSeconds(20));
        Assert.Equal(InvalidSourceAddress, rejection.GetProperty("status").GetInt32());

        // The network delivers to the provider in order: once the next SMS is at Mary's client, the refused one is settled.
        await world.Network.SendAsync("+4915120000099", Mary.Msisdn!, marker);
        await mary.MessageAsync(m => m.Body == marker, "the honest SMS sent after the refused one");

        Assert.DoesNotContain(mary.Received, m => m.Body == hostile);
        Assert.DoesNotContain(mary.Received, m => !m.From.Contains('@', StringComparison.Ordinal) || Bare(m.From).StartsWith("mary@", StringComparison.Ordinal) || Bare(m.From).EndsWith("@b.example", StringComparison.Ordinal));
        Assert.DoesNotContain(await mary.ArchiveAsync(), m => m.Body == hostile);
    }

    private static string Bare(string jid) => jid.Split('/')[0];
}
