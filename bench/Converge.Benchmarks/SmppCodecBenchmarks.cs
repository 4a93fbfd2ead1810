using System.Buffers;
using BenchmarkDotNet.Attributes;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Sms.Text;

namespace Converge.Benchmarks;

/// <summary>The SMPP 3.4 codec: a submit_sm encoded, decoded, and its text put into GSM 03.38 septets.</summary>
public class SmppCodecBenchmarks
{
    private const string Text = "Are we still on for lunch at noon? I can book the table by the window. Reply YES or NO.";

    private readonly ArrayBufferWriter<byte> _output = new(512);
    private readonly byte[] _septets = new byte[320];
    private SubmitSm _submit = null!;
    private ReadOnlySequence<byte> _encoded;

    [GlobalSetup]
    public void Setup()
    {
        _submit = new SubmitSm
        {
            SequenceNumber = 42,
            SourceAddrTon = 1,
            SourceAddrNpi = 1,
            SourceAddr = "4915112345678",
            DestAddrTon = 1,
            DestAddrNpi = 1,
            DestinationAddr = "4917698765432",
            RegisteredDelivery = 1,
            DataCoding = 0,
            ShortMessage = GsmAlphabet.GetBytes(Text),
        };
        _encoded = new ReadOnlySequence<byte>(SmppPduWriter.ToArray(_submit));
    }

    [Benchmark(Baseline = true)]
    public int EncodeSubmitSm()
    {
        _output.ResetWrittenCount();
        return SmppPduWriter.Write(_submit, _output);
    }

    [Benchmark]
    public object DecodeSubmitSm()
    {
        var buffer = _encoded;
        return SmppPduReader.TryRead(ref buffer, out var pdu) ? pdu : throw new InvalidOperationException("incomplete");
    }

    [Benchmark]
    public int EncodeGsmText() => GsmAlphabet.GetBytes(Text, _septets);
}
