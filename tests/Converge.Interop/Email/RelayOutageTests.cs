using Converge.Interop.Support;
using static Converge.Interop.Email.EmailWorld;

namespace Converge.Interop.Email;

/// <summary>
/// The outbox holds mail while the relay is down and sends it, in order, once the relay is back:
/// a server of its own, whose Email.Relay points at a port where nothing listens yet.
/// </summary>
public sealed class RelayOutageTests
{
    [Fact]
    public async Task Mail_queued_while_the_relay_is_down_goes_out_in_order_once_it_is_back()
    {
        const string olivia = "olivia@mail.example";
        var relayPort = ConvergeServer.FreeTcpPort();
        var server = await StartServerAsync($"127.0.0.1:{relayPort}", ConvergeServer.FreeTcpPort());
        MailRelay? relay = null;
        string Context() => $"\n--- server log:\n{server.Log}\n--- relay:\n{relay?.Log ?? "(not started)"}";
        try
        {
            await using var mary = await ChatClient.StartAsync(server, Mary, Context);
            await mary.SendAsync(JidOf(olivia), "First, while the relay is down", thread: "outage");
            await mary.SendAsync(JidOf(olivia), "Second", thread: "outage");
            await mary.SendAsync(JidOf(olivia), "Third", thread: "outage");
            await mary.SyncAsync(); // all three are routed, so stored in the outbox

            // The first attempt failed on the closed port and the lane waits for its retry.
            await server.WaitForLogLineAsync(
                l => l.Contains("failed for now, retrying", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "outbox retry after the refused connection");

            relay = await MailRelay.StartAsync(relayPort);
            var mails = await relay.MailsForAsync(olivia, 3, Context);

            Assert.Equal(["First, while the relay is down", "Second", "Third"], mails.Select(m => m.TrimmedText));
            Assert.All(mails, m => Assert.Equal(MarysAddress, m.MailFrom));
            Assert.Equal(3, mails.Select(m => m.MessageId).Distinct().Count());
            await mary.SyncAsync();
            Assert.DoesNotContain(mary.Received, m => m.Type == "error");
        }
        finally
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            await server.DisposeAsync();
        }
    }
}
