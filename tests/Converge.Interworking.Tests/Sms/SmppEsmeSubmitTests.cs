using System.Text.Json;
using Converge.Interworking.Sms;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

/// <summary>SmppEsme submitting to the simulated SMS network (npm smpp as the SMSC).</summary>
public class SmppEsmeSubmitTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private SmscSimulator Smsc => fixture.Smsc;

    [Fact]
    public async Task A_400_character_text_with_euro_and_braces_reaches_the_handset_whole_with_one_reference()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        // The € straddles the first part border (septets 153/154); 403 septets in all.
        var text = (new string('a', 152) + "€ price {net} " + string.Concat(Enumerable.Repeat("Hamburg ", 40)))[..400];

        var result = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(1), esme.Handset(1), text), CancellationToken.None);

        Assert.Equal("GSM7", result.Encoding);
        Assert.Equal(3, result.Parts);
        var message = Assert.Single(await Smsc.InboxAsync(esme.Handset(1), wait: 1));
        Assert.Equal(text, message.GetProperty("text").GetString());
        Assert.Equal(esme.Number(1), message.GetProperty("from").GetString());
        Assert.Equal(result.MessageIds, message.GetProperty("messageIds").EnumerateArray().Select(e => e.GetString()));
        var parts = message.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(3, parts.Count);
        var reference = parts[0].GetProperty("udh").GetString()![6..8];
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal(0, parts[i].GetProperty("dataCoding").GetInt32());
            Assert.Equal(0x40, parts[i].GetProperty("esmClass").GetInt32() & 0x40);
            Assert.Equal($"050003{reference}03{i + 1:X2}", parts[i].GetProperty("udh").GetString(), ignoreCase: true);
            Assert.Equal((1, 1), (parts[i].GetProperty("destTon").GetInt32(), parts[i].GetProperty("destNpi").GetInt32()));
        }

        // The € and the braces went as ESC pairs, never split across parts.
        Assert.All(parts.SkipLast(1), p => Assert.False(p.GetProperty("shortMessage").GetString()!.EndsWith("1B", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Greek_and_emoji_arrive_as_ucs2()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        var greek = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(1), "Καλημέρα Πέτρο"), CancellationToken.None);
        var emoji = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(2), "See you 😀 " + new string('x', 80) + " 🎉"), CancellationToken.None);

        Assert.Equal(("UCS2", 1), (greek.Encoding, greek.Parts));
        Assert.Equal(("UCS2", 2), (emoji.Encoding, emoji.Parts));
        var first = Assert.Single(await Smsc.InboxAsync(esme.Handset(1), wait: 1));
        Assert.Equal("Καλημέρα Πέτρο", first.GetProperty("text").GetString());
        Assert.Equal(8, first.GetProperty("dataCoding").GetInt32());
        var second = Assert.Single(await Smsc.InboxAsync(esme.Handset(2), wait: 1));
        Assert.Equal("See you 😀 " + new string('x', 80) + " 🎉", second.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Messages_to_one_handset_arrive_in_the_order_sent()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        foreach (var text in new[] { "one", "two " + new string('2', 200), "three" })
        {
            await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), text), CancellationToken.None);
        }

        var inbox = await Smsc.InboxAsync(esme.Handset(), wait: 3);
        Assert.Equal(["one", "two " + new string('2', 200), "three"], inbox.Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task The_16_bit_reference_is_used_when_configured()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc, o => o.Use16BitReference = true);

        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), new string('a', 200)), CancellationToken.None);

        var message = Assert.Single(await Smsc.InboxAsync(esme.Handset(), wait: 1));
        Assert.Equal(new string('a', 200), message.GetProperty("text").GetString());
        Assert.All(message.GetProperty("parts").EnumerateArray(), p => Assert.StartsWith("060804", p.GetProperty("udh").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_is_a_transient_failure_and_the_next_submission_goes_through()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        await Smsc.PostAsync("/throttle", new { systemId = esme.Options.SystemId, count = 1 });

        var refused = await Assert.ThrowsAsync<SmppSubmitException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "hello"), CancellationToken.None));

        Assert.True(refused.IsTransient);
        Assert.Equal(0x58u, refused.Status);
        Assert.Contains("Throttled", refused.Reason, StringComparison.Ordinal);
        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "hello again"), CancellationToken.None);
        Assert.Equal("hello again", Assert.Single(await Smsc.InboxAsync(esme.Handset(), wait: 1)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_permanent_refusal_is_not_transient()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        await Smsc.PostAsync("/throttle", new { systemId = esme.Options.SystemId, count = 1, status = 0x0B });

        var refused = await Assert.ThrowsAsync<SmppSubmitException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "x"), CancellationToken.None));

        Assert.False(refused.IsTransient);
        Assert.Equal(0x0Bu, refused.Status);
    }

    [Fact]
    public async Task A_bind_dropped_mid_stream_fails_the_submission_transiently_and_the_esme_reconnects()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        await Smsc.PostAsync("/drop", new { systemId = esme.Options.SystemId, afterSubmits = 2 });

        var refused = await Assert.ThrowsAsync<SmppSubmitException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), new string('z', 300)), CancellationToken.None));
        Assert.True(refused.IsTransient);
        Assert.Contains("part 2/2", refused.Reason, StringComparison.Ordinal);

        await esme.WaitUntilBoundAsync();
        var result = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "after the drop"), CancellationToken.None);
        Assert.Single(result.MessageIds);
        var binds = await Smsc.EventsAsync("bind");
        Assert.Equal(2, binds.Count(e => e.GetProperty("systemId").GetString() == esme.Options.SystemId));
        Assert.Equal("after the drop", (await Smsc.InboxAsync(esme.Handset(), wait: 1)).Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_unanswered_submission_times_out_as_a_transient_failure_and_frees_its_window_slot()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc, o =>
        {
            o.ResponseTimeout = TimeSpan.FromMilliseconds(300);
            o.Window = 1;
        });
        await Smsc.PostAsync("/stall", new { systemId = esme.Options.SystemId, count = 1 });

        var refused = await Assert.ThrowsAsync<SmppSubmitException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "lost in the network"), CancellationToken.None));

        Assert.True(refused.IsTransient);
        Assert.Contains("no response to SubmitSm", refused.Reason, StringComparison.Ordinal);
        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "through"), CancellationToken.None);
        Assert.Equal("through", Assert.Single(await Smsc.InboxAsync(esme.Handset(), wait: 1)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_delivery_receipt_reaches_on_receipt_with_the_id_of_the_submission()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        var result = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "please confirm"), CancellationToken.None);
        var receipt = await esme.NextReceiptAsync();

        Assert.Equal(result.MessageIds[0], receipt.MessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal((esme.Handset(), esme.Number()), (receipt.Source, receipt.Destination));
    }

    [Fact]
    public async Task A_receipt_that_gives_the_id_in_decimal_in_its_text_only_matches_the_hex_id_when_that_base_is_configured()
    {
        await Smsc.PostAsync("/config", new { receipts = "text", messageIdFormat = "hex", receiptIdFormat = "decimal" });
        try
        {
            await using var esme = await EsmeHarness.StartAsync(Smsc, o => o.ReceiptIdBase = SmppReceiptIdBase.Decimal);
            await Smsc.PostAsync($"/handsets/{Uri.EscapeDataString(esme.Handset(9))}", new { reachable = false });

            var delivered = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "one"), CancellationToken.None);
            var lost = await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(9), "two"), CancellationToken.None);

            Assert.Matches("^[0-9a-f]+$", delivered.MessageIds[0]);
            var receipts = new[] { await esme.NextReceiptAsync(), await esme.NextReceiptAsync() };
            Assert.Contains(receipts, r => r.MessageId == delivered.MessageIds[0] && r.State == DeliveryState.Delivered);
            Assert.Contains(receipts, r => r.MessageId == lost.MessageIds[0] && r.State == DeliveryState.Undeliverable);
        }
        finally
        {
            await Smsc.PostAsync("/config", new { receipts = "both", messageIdFormat = "hex", receiptIdFormat = "same" });
        }
    }

    [Fact]
    public async Task No_receipt_is_asked_for_when_the_sender_wants_none()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "quiet", RequestDeliveryReceipt: false), CancellationToken.None);

        var part = Assert.Single(await Smsc.InboxAsync(esme.Handset(), wait: 1)).GetProperty("parts")[0];
        Assert.Equal(0, part.GetProperty("registeredDelivery").GetInt32());
    }

    [Fact]
    public async Task Text_that_cannot_be_encoded_is_refused_before_anything_is_sent()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "bad \uDC00"), CancellationToken.None));

        Assert.Contains("unpaired surrogate", error.Message, StringComparison.Ordinal);
        var submits = await Smsc.GetAsync($"/submits?systemId={esme.Options.SystemId}");
        Assert.Equal(0, submits.GetArrayLength());
    }

    [Fact]
    public async Task Without_a_bind_a_submission_fails_transiently_and_a_refused_bind_never_logs_the_password()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc, o => o.ResponseTimeout = TimeSpan.FromMilliseconds(500), register: false, waitForBind: false);

        var refused = await Assert.ThrowsAsync<SmppSubmitException>(() => esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "x"), CancellationToken.None));

        Assert.True(refused.IsTransient);
        Assert.Contains("not bound", refused.Reason, StringComparison.Ordinal);
        var bindRefused = await Smsc.WaitForEventAsync("bind-refused", e => e.GetProperty("systemId").GetString() == esme.Options.SystemId, TimeSpan.FromSeconds(5));
        Assert.Equal(0x0F, bindRefused.GetProperty("status").GetInt32()); // ESME_RINVSYSID
        Assert.Contains(esme.Logger.Lines, l => l.Contains("InvalidSystemId", StringComparison.Ordinal));
        Assert.DoesNotContain(esme.Logger.Lines, l => l.Contains(esme.Options.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_binds_are_kept_and_submissions_spread_over_them()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc, o => o.Binds = 2);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (esme.Esme.BoundCount < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        for (var i = 0; i < 4; i++)
        {
            await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), $"m{i}"), CancellationToken.None);
        }

        var sessions = (await Smsc.EventsAsync("submit"))
            .Where(e => e.GetProperty("systemId").GetString() == esme.Options.SystemId)
            .Select(e => e.GetProperty("session").GetInt32())
            .Distinct();
        Assert.Equal(2, sessions.Count());
    }
}
