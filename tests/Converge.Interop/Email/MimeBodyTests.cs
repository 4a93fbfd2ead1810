using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>What a mail program sends is read from its MIME structure: the plain text, decoded.</summary>
[Collection(EmailCollection.Name)]
public sealed class MimeBodyTests(EmailWorld world)
{
    [Fact]
    public async Task A_multipart_alternative_mail_arrives_as_its_text_plain_part_decoded_from_base64()
    {
        const string ines = "ines@mail.example";
        await using var mary = await world.ClientAsync(Mary);

        // swaks: HTML first, then the plain part, both base64 (the plain one UTF-8).
        var (exitCode, transcript) = await Swaks.SendAsync(
            world.InboundPort, ines, MarysAddress,
            "--header", "Subject: Menu",
            "--attach-type", "text/html", "--attach-body", "<html><body><p>Heute: <b>Käsespätzle</b></p></body></html>",
            "--attach-type", "text/plain; charset=utf-8", "--attach-body", "Heute: Käsespätzle");
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");
        Assert.Contains("multipart/alternative", transcript, StringComparison.Ordinal);

        var message = await mary.MessageAsync(m => m.BareFrom == JidOf(ines), "Ines's multipart mail");
        Assert.Equal("Heute: Käsespätzle", message.Body);
    }

    [Fact]
    public async Task A_base64_body_in_a_declared_charset_arrives_decoded()
    {
        const string jan = "jan@mail.example";
        await using var mary = await world.ClientAsync(Mary);

        var text = Convert.ToBase64String(System.Text.Encoding.Latin1.GetBytes("Grüße von Jan, über Köln"));
        var data = string.Join("\r\n",
            $"From: Jan <{jan}>",
            $"To: <{MarysAddress}>",
            "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=",
            "Date: Sat, 21 Nov 2026 09:00:00 +0100",
            "Message-ID: <base64.jan@mail.example>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=ISO-8859-1",
            "Content-Transfer-Encoding: base64",
            "",
            text,
            "");
        var (exitCode, transcript) = await Swaks.SendDataAsync(world.InboundPort, jan, MarysAddress, data);
        Assert.True(exitCode == 0, $"swaks exited with {exitCode}:\n{transcript}{world.Context()}");

        var message = await mary.MessageAsync(m => m.BareFrom == JidOf(jan), "Jan's base64 mail");
        Assert.Equal("Grüße von Jan, über Köln", message.Body);
        Assert.Equal("Grüße", message.Subject);
    }
}
