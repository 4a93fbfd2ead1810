using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Email;
using Converge.Interop.Sms;
using Converge.Interop.Support;
using Converge.Testing;

namespace Converge.Interop.Durability;

/// <summary>
/// Issue 15, item 4, at the legacy doors: with the data directory on a small tmpfs filled to the last
/// byte, an SMS from the network (deliver_sm, the real SMSC simulator) is answered ESME_RX_T_APPN and
/// stays with the SMSC, and a mail (swaks) gets <c>452 4.3.1</c> at MAIL, before any DATA; nothing of
/// either reaches Mary. Once the filler is gone, the SMSC's next attempt is taken and the same mail is
/// accepted, without anybody touching the server.
/// </summary>
public sealed class DiskFullAtLegacyDoorsTests
{
    private const string SystemId = "diskfull";
    private const int TemporaryAppError = 0x64; // ESME_RX_T_APPN
    private static readonly Subscriber Mary = SmsWorld.Mary;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_disk_answers_sms_with_a_temporary_error_and_mail_with_452_and_both_are_taken_when_space_returns()
    {
        var mountPoint = Directory.CreateTempSubdirectory("converge-tmpfs-").FullName;
        await DiskFullTests.RunAsync("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", mountPoint);
        try
        {
            await using var network = await SmscSimulator.StartAsync();
            await network.AddProviderAsync(SystemId, SmsWorld.SmppPassword, "+4917000", "+4940555");
            await using var relay = await MailRelay.StartAsync();
            var smtpPort = ConvergeServer.FreeTcpPort();
            var inbound = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{smtpPort}");
            await using var server = await new ConvergeServer
            {
                Users = [Mary.Name],
                UserOptions = new Dictionary<string, IReadOnlyList<string>> { [Mary.Name] = Mary.AddOptions },
                ExtraConfig = new JsonObject
                {
                    ["DataDirectory"] = Path.Combine(mountPoint, "data"),
                    ["Storage"] = new JsonObject { ["Sqlite"] = new JsonObject { ["CheckpointPages"] = 64, ["MinFreeBytes"] = 256 * 1024 } },
                    ["Sms"] = SmsWorld.SmsSection(network, SystemId, SmsWorld.SourceNumbers),
                    ["Email"] = EmailWorld.EmailSection(relay.Endpoint, inbound),
                },
                ReadyWhen = [SmsWorld.SmppBound(SystemId)],
            }.StartAsync();
            string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC:\n{network.Log}";
            await server.WaitForLogLineAsync(l => l.Contains($"SMTP listener on {inbound}", StringComparison.Ordinal), Step, "SMTP listener");
            await using var mary = await CpmClient.StartAsync(server.ClientPort, Mary, Context);
            const string john = "+4915140000001";
            var marysAddress = $"{Mary.Name}@{EmailWorld.MailDomain}";

            var filler = Path.Combine(mountPoint, "filler");
            DiskFullTests.FillToTheLastByte(filler);
            await server.WaitForLogLineAsync(l => l.Contains("Storage full", StringComparison.Ordinal), Step, "'Storage full'");

            // SMS: refused for now with ESME_RX_T_APPN; the SMSC keeps it (and tries again every 200 ms).
            await network.SendAsync(john, Mary.Msisdn!, "Sent while the disk is full");
            var refused = await network.WaitForEventAsync(
                "delivery-refused", e => e.GetProperty("systemId").GetString() == SystemId && e.GetProperty("status").GetInt32() == TemporaryAppError, Step);
            Assert.Contains(john[1..], refused.GetProperty("what").GetString() ?? "", StringComparison.Ordinal);
            await server.WaitForLogLineAsync(l => l.Contains("answered ESME_RX_T_APPN, storage full", StringComparison.Ordinal), Step, "the SMS refusal");

            // Mail: 452 4.3.1 at MAIL, so DATA never starts.
            var (fullExit, fullTranscript) = await Swaks.SendAsync(smtpPort, "peter@mail.example", marysAddress, "--body", "Mailed while the disk is full");
            Assert.True(fullExit != 0, $"swaks was not refused:\n{fullTranscript}{Context()}");
            Assert.Contains("452 4.3.1 Insufficient system storage", fullTranscript, StringComparison.Ordinal);
            Assert.DoesNotContain("354 ", fullTranscript, StringComparison.Ordinal);
            Assert.Equal(0, await network.CountEventsAsync("delivered", SystemId));
            Assert.DoesNotContain(mary.Received, m => m.Body is "Sent while the disk is full" or "Mailed while the disk is full");

            File.Delete(filler);
            await server.WaitForLogLineAsync(l => l.Contains("Storage has room again", StringComparison.Ordinal), Step, "'Storage has room again'");

            // The SMSC's next attempt is taken by itself; the mail goes through when sent again.
            var sms = await mary.MessageAsync(m => m.Body == "Sent while the disk is full", "the SMS the SMSC delivered again once space returned");
            Assert.Equal($"{john}@{ConvergeServer.Domain}", sms.From.Split('/')[0]);
            var (exit, transcript) = await Swaks.SendAsync(smtpPort, "peter@mail.example", marysAddress, "--body", "Mailed while the disk is full");
            Assert.True(exit == 0, $"swaks exited with {exit} after space returned:\n{transcript}{Context()}");
            await mary.MessageAsync(m => m.Body?.StartsWith("Mailed while the disk is full", StringComparison.Ordinal) == true, "the mail sent again once space returned");
            Assert.Single(mary.Received, m => m.Body == "Sent while the disk is full");
        }
        finally
        {
            await DiskFullTests.RunAsync("umount", "-l", mountPoint);
            Directory.Delete(mountPoint, recursive: true);
        }
    }
}
