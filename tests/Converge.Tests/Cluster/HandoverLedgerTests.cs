using Converge.Cluster.Grains;
using Converge.Cluster.Sessions;
using Converge.Xmpp.Xml;

namespace Converge.Tests.Cluster;

/// <summary>What a node keeps of the messages it hands to another node, and how the settlements come back.</summary>
public sealed class HandoverLedgerTests
{
    [Theory]
    [InlineData("message", "chat", null, true)]
    [InlineData("message", null, null, true)]
    [InlineData("message", "normal", null, true)]
    [InlineData("message", "groupchat", null, false)]
    [InlineData("message", "headline", null, false)]
    [InlineData("message", "error", null, false)]
    [InlineData("message", "chat", "received", false)]
    [InlineData("message", "chat", "sent", false)]
    [InlineData("presence", null, null, false)]
    [InlineData("iq", "get", null, false)]
    public void Keeps_only_what_would_go_to_another_resource_or_offline(string name, string? type, string? carbon, bool kept)
    {
        var stanza = new XmlElement(name, "jabber:client").SetAttribute("type", type);
        if (carbon is not null)
        {
            stanza.AddElement(carbon, "urn:xmpp:carbons:2");
        }
        else if (name == "message")
        {
            stanza.AddElement("body", "jabber:client").AddText("hi");
        }

        Assert.Equal(kept, HandoverLedger.Keeps(stanza));
    }

    [Fact]
    public void Settled_messages_are_forgotten_and_the_rest_come_back_in_the_order_handed_over()
    {
        var ledger = new HandoverLedger();
        foreach (var id in new long[] { 5, 2, 9, 7 })
        {
            Assert.True(ledger.TryKeep(Envelope(id)));
        }

        ledger.Forget([9, 42]); // an id never kept (or settled twice) is harmless
        Assert.Equal(3, ledger.Count);

        Assert.Equal([2L, 5, 7], ledger.Close().Select(e => e.Handover));
        Assert.False(ledger.TryKeep(Envelope(10)), "a closed ledger keeps nothing: the caller delivers elsewhere");
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void A_full_ledger_refuses_rather_than_grows()
    {
        var ledger = new HandoverLedger();
        for (var id = 1L; id <= HandoverLedger.MaxKept; id++)
        {
            Assert.True(ledger.TryKeep(Envelope(id)));
        }

        Assert.False(ledger.TryKeep(Envelope(HandoverLedger.MaxKept + 1)));
        ledger.Forget(1);
        Assert.True(ledger.TryKeep(Envelope(HandoverLedger.MaxKept + 1)));
    }

    [Fact]
    public void A_settlement_batch_reports_once_per_burst_in_bounded_reports()
    {
        var batch = new SettlementBatch();
        Assert.True(batch.Add(1), "the first id schedules a report");
        for (var id = 2L; id <= SettlementBatch.MaxPerReport + 10; id++)
        {
            Assert.False(batch.Add(id), "a report is already scheduled");
        }

        var reports = batch.Drain();
        Assert.Equal([SettlementBatch.MaxPerReport, 10], reports.Select(r => r.Length));
        Assert.Equal(Enumerable.Range(1, SettlementBatch.MaxPerReport + 10).Select(i => (long)i), reports.SelectMany(r => r));
        Assert.True(batch.Add(99), "after a drain the next id schedules the next report");
    }

    private static ClusterEnvelope Envelope(long handover) =>
        new(ClusterEnvelopeKind.Stanza, "bob@localhost/phone", $"<message xmlns='jabber:client' id='{handover}'/>", 0, Handover: handover);
}
