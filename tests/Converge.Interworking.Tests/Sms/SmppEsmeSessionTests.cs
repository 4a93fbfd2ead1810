using Converge.Interworking.Sms;
using Converge.Interworking.Tests.Sms.Support;

namespace Converge.Interworking.Tests.Sms;

/// <summary>SmppEsme receiving from the simulated SMS network, and its session duties.</summary>
public class SmppEsmeSessionTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private SmscSimulator Smsc => fixture.Smsc;

    [Fact]
    public async Task A_mobile_originated_sms_reaches_on_message_from_the_e164_sender()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        await Smsc.SendFromHandsetAsync(esme.Handset(), new { to = esme.Number(5), text = "Hi Mary, it's John @ home: 5€ {ok}" });

        var sms = await esme.NextMessageAsync();
        Assert.Equal((esme.Handset(), esme.Number(5)), (sms.Source, sms.Destination));
        Assert.Equal("Hi Mary, it's John @ home: 5€ {ok}", sms.Text);
    }

    [Fact]
    public async Task Long_messages_are_reassembled_from_udh_8_and_16_bit_and_sar_in_any_order_with_duplicates()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        var gsm = string.Concat(Enumerable.Repeat("Long text with € and [brackets]. ", 12));
        var greek = string.Concat(Enumerable.Repeat("Γειά σου 😀 ", 14));

        await Smsc.SendFromHandsetAsync(esme.Handset(1), new { to = esme.Number(), text = gsm, order = new[] { 3, 1, 2 }, duplicate = new[] { 1 } });
        await Smsc.SendFromHandsetAsync(esme.Handset(2), new { to = esme.Number(), text = greek, concat = "udh16" });
        await Smsc.SendFromHandsetAsync(esme.Handset(3), new { to = esme.Number(), text = gsm, concat = "sar" });
        await Smsc.SendFromHandsetAsync(esme.Handset(4), new { to = esme.Number(), text = gsm, concat = "payload" });

        var received = new[] { await esme.NextMessageAsync(), await esme.NextMessageAsync(), await esme.NextMessageAsync(), await esme.NextMessageAsync() };
        Assert.Equal(gsm, received.Single(m => m.Source == esme.Handset(1)).Text);
        Assert.Equal(greek, received.Single(m => m.Source == esme.Handset(2)).Text);
        Assert.Equal(gsm, received.Single(m => m.Source == esme.Handset(3)).Text);
        Assert.Equal(gsm, received.Single(m => m.Source == esme.Handset(4)).Text);
        await Task.Delay(200);
        Assert.False(esme.HasMoreMessages, "the duplicate part made a second message");
    }

    [Fact]
    public async Task Latin1_and_ia5_labelled_messages_are_read()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        await Smsc.SendFromHandsetAsync(esme.Handset(1), new { to = esme.Number(), text = "Grüße aus Köln ½", encoding = "latin1" });
        await Smsc.SendFromHandsetAsync(esme.Handset(2), new { to = esme.Number(), text = "Labelled IA5 like npm smpp: äöü@$", dataCoding = 1 });

        Assert.Equal("Grüße aus Köln ½", (await esme.NextMessageAsync()).Text);
        Assert.Equal("Labelled IA5 like npm smpp: äöü@$", (await esme.NextMessageAsync()).Text);
    }

    [Fact]
    public async Task Messages_from_one_handset_reach_the_handler_in_the_order_sent()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        for (var i = 1; i <= 5; i++)
        {
            await Smsc.SendFromHandsetAsync(esme.Handset(), new { to = esme.Number(), text = i == 3 ? new string('3', 300) : $"message {i}" });
        }

        var texts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            texts.Add((await esme.NextMessageAsync()).Text);
        }

        Assert.Equal(["message 1", "message 2", new string('3', 300), "message 4", "message 5"], texts);
    }

    [Fact]
    public async Task A_deliver_sm_is_answered_only_after_the_handler_took_it_so_a_refusal_brings_it_again()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        var calls = 0;
        var taken = new TaskCompletionSource<InboundSms>();
        esme.Esme.OnMessage = (sms, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("storage unavailable");
            }

            taken.TrySetResult(sms);
            return ValueTask.CompletedTask;
        };

        await Smsc.SendFromHandsetAsync(esme.Handset(), new { to = esme.Number(), text = "do not lose me" });

        Assert.Equal("do not lose me", (await taken.Task.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        var refusal = await Smsc.WaitForEventAsync("delivery-refused", e => e.GetProperty("systemId").GetString() == esme.Options.SystemId, TimeSpan.FromSeconds(5));
        Assert.Equal(0x64, refusal.GetProperty("status").GetInt32()); // ESME_RX_T_APPN
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Malformed_pdus_from_the_smsc_get_generic_nack_and_the_bind_goes_on()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);
        string[] malformed =
        [
            "00000010 00000777 00000000 00000065",                                   // unknown command_id
            "00000014 00000005 00000000 00000066 434D5400",                          // deliver_sm cut after service_type
            "00000010 00000015 00000000 00000067".Replace("00000010", "00000011", StringComparison.Ordinal) + "00", // enquire_link with a body
        ];
        var deliverWithCutTlv = "00000005 00000000 00000068" + "00 0101 343931353130303030303000 0101 343934303530303030303000 000000 00 00 00 00 00 00 00" + "0427 00";
        var length = (deliverWithCutTlv.Replace(" ", "", StringComparison.Ordinal).Length / 2) + 4;

        foreach (var hex in malformed.Append($"{length:X8} {deliverWithCutTlv}"))
        {
            await Smsc.PostAsync("/raw", new { systemId = esme.Options.SystemId, hex });
        }

        foreach (var (sequence, status) in new[] { (0x65, 0x03), (0x66, 0x02), (0x67, 0x02), (0x68, 0xC0) })
        {
            var nack = await Smsc.WaitForEventAsync("generic_nack", e => e.GetProperty("sequence").GetInt32() == sequence, TimeSpan.FromSeconds(5));
            Assert.Equal(status, nack.GetProperty("status").GetInt32());
        }

        Assert.True(esme.Esme.IsBound);
        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "still here"), CancellationToken.None);
        Assert.Single(await Smsc.InboxAsync(esme.Handset(), wait: 1));
    }

    [Fact]
    public async Task A_framing_error_ends_the_bind_and_the_esme_binds_again()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        await Smsc.PostAsync("/raw", new { systemId = esme.Options.SystemId, hex = "00000008 00000015 00000000 00000042" });

        var nack = await Smsc.WaitForEventAsync("generic_nack", e => e.GetProperty("sequence").GetInt32() == 0x42, TimeSpan.FromSeconds(5));
        Assert.Equal(0x02, nack.GetProperty("status").GetInt32());
        await Smsc.WaitForEventAsync("bind", e => e.GetProperty("systemId").GetString() == esme.Options.SystemId && e.GetProperty("session").GetInt32() != nack.GetProperty("session").GetInt32(), TimeSpan.FromSeconds(5));
        await esme.WaitUntilBoundAsync();
        await esme.Esme.SubmitAsync(new OutboundSms(esme.Number(), esme.Handset(), "rebound"), CancellationToken.None);
    }

    [Fact]
    public async Task The_smscs_enquire_link_is_answered_and_the_esme_sends_its_own()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc, o => o.EnquireLinkInterval = TimeSpan.FromMilliseconds(150));

        await Smsc.PostAsync("/raw", new { systemId = esme.Options.SystemId, hex = "00000010 00000015 00000000 00000077" });

        await Smsc.WaitForEventAsync("pdu", e => e.GetProperty("command").GetString() == "enquire_link_resp" && e.GetProperty("sequence").GetInt32() == 0x77, TimeSpan.FromSeconds(5));
        await Smsc.WaitForEventAsync("pdu", e => e.GetProperty("command").GetString() == "enquire_link" && e.GetProperty("systemId").GetString() == esme.Options.SystemId, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task When_the_smsc_unbinds_the_esme_answers_and_binds_again()
    {
        await using var esme = await EsmeHarness.StartAsync(Smsc);

        await Smsc.PostAsync("/unbind", new { systemId = esme.Options.SystemId });

        await Smsc.WaitForEventAsync("pdu", e => e.GetProperty("command").GetString() == "unbind_resp" && e.GetProperty("systemId").GetString() == esme.Options.SystemId, TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await Smsc.EventsAsync("bind")).Count(e => e.GetProperty("systemId").GetString() == esme.Options.SystemId) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the ESME did not bind again");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Disposing_the_esme_unbinds()
    {
        var esme = await EsmeHarness.StartAsync(Smsc);

        await esme.DisposeAsync();

        await Smsc.WaitForEventAsync("unbind", e => e.GetProperty("systemId").GetString() == esme.Options.SystemId, TimeSpan.FromSeconds(5));
        Assert.False(esme.Esme.IsBound);
    }

    [Fact]
    public async Task A_message_to_another_providers_range_reaches_that_provider_and_the_sender_gets_the_receipt()
    {
        await using var a = await EsmeHarness.StartAsync(Smsc);
        await using var b = await EsmeHarness.StartAsync(Smsc);
        var text = "From provider A to B: " + new string('x', 200) + " €";

        var result = await a.Esme.SubmitAsync(new OutboundSms(a.Number(1), b.Number(2), text), CancellationToken.None);

        var sms = await b.NextMessageAsync();
        Assert.Equal((a.Number(1), b.Number(2), text), (sms.Source, sms.Destination, sms.Text));
        var receipts = new[] { await a.NextReceiptAsync(), await a.NextReceiptAsync() };
        Assert.Equal(result.MessageIds.Order(), receipts.Select(r => r.MessageId).Order());
        Assert.All(receipts, r => Assert.Equal(DeliveryState.Delivered, r.State));
    }
}
