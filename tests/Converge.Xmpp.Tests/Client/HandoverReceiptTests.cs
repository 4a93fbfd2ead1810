using System.IO.Pipelines;
using Converge.Core.Addressing;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing.Cluster;
using Converge.Xmpp.Transport;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Client;

/// <summary>
/// A message another cluster node handed over is settled (the node may forget it) only once it cannot
/// be lost here any more: acknowledged by an XEP-0198 client, written to a client without stream
/// management, or delivered elsewhere after the session ended - never merely because it was queued or written.
/// </summary>
public sealed class HandoverReceiptTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Under_stream_management_a_receipt_is_settled_by_the_clients_ack_and_not_by_the_write()
    {
        var session = new ClientSession(Jid.Parse("bob@localhost/phone"), 100) { StreamManagement = new StreamManagement("sm-1") };
        var pipe = new Pipe();
        using var connection = new CancellationTokenSource();
        var writer = session.RunWriterAsync(pipe.Writer, StreamFraming.Tcp, resend: true, connection.Token);

        var first = new Receipt();
        var second = new Receipt();
        Assert.True(session.Send(Message("one"), first));
        Assert.True(session.Send(Message("two"), second));
        await ReadUntilAsync(pipe.Reader, "two");
        Assert.False(first.Settled.Task.IsCompleted, "written is not acknowledged");

        session.ClientAcknowledged(1);
        await first.Settled.Task.WaitAsync(Wait);
        Assert.True(session.Send(Message("barrier"))); // queued after the ack: written once the ack was applied
        await ReadUntilAsync(pipe.Reader, "barrier");
        Assert.False(second.Settled.Task.IsCompleted, "h=1 covers only the first message");

        // The session ends with the second one unacknowledged: it is handed back, settled once delivered elsewhere.
        session.Close(null);
        await writer.WaitAsync(Wait);
        var undelivered = session.TakeUndelivered();
        Assert.Equal(["two", "barrier"], undelivered.Select(e => e.Element("body", "jabber:client")!.Text));
        Assert.False(second.Settled.Task.IsCompleted, "taken back is not yet delivered elsewhere");
        session.SettleHandedBack();
        await second.Settled.Task.WaitAsync(Wait);
        Assert.Equal(1, second.Count);
    }

    [Fact]
    public async Task Without_stream_management_a_receipt_is_settled_once_written()
    {
        var session = new ClientSession(Jid.Parse("bob@localhost/laptop"), 100);
        var pipe = new Pipe();
        using var connection = new CancellationTokenSource();
        var writer = session.RunWriterAsync(pipe.Writer, StreamFraming.Tcp, resend: false, connection.Token);

        var receipt = new Receipt();
        Assert.True(session.Send(Message("hello"), receipt));
        await ReadUntilAsync(pipe.Reader, "hello");
        await receipt.Settled.Task.WaitAsync(Wait);
        session.Close(null);
        await writer.WaitAsync(Wait);
        session.SettleHandedBack(); // nothing was handed back: no second settlement
        Assert.Equal(1, receipt.Count);
    }

    [Fact]
    public void A_message_still_queued_when_the_session_ends_is_handed_back_with_its_receipt()
    {
        var session = new ClientSession(Jid.Parse("bob@localhost/tablet"), 100);
        var receipt = new Receipt();
        Assert.True(session.Send(Message("queued"), receipt));
        session.Close(null);
        Assert.Single(session.TakeUndelivered());
        Assert.False(receipt.Settled.Task.IsCompleted);
        session.SettleHandedBack();
        Assert.True(receipt.Settled.Task.IsCompleted);
    }

    private static XmlElement Message(string body)
    {
        var message = new XmlElement("message", "jabber:client").SetAttribute("to", "bob@localhost").SetAttribute("type", "chat");
        message.AddElement("body", "jabber:client").AddText(body);
        return message;
    }

    private static async Task ReadUntilAsync(PipeReader reader, string body)
    {
        var text = "";
        using var timeout = new CancellationTokenSource(Wait);
        while (!text.Contains($"<body>{body}</body>", StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(timeout.Token);
            text += System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer));
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private sealed class Receipt : IHandoverReceipt
    {
        private int _count;

        public TaskCompletionSource Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public void Settle()
        {
            Interlocked.Increment(ref _count);
            Settled.TrySetResult();
        }
    }
}
