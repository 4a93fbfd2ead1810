using System.Buffers;
using System.Text;
using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

public sealed class SmtpDataReaderTests
{
    private static (SmtpDataReader Reader, bool Done, long Consumed) Read(ReadOnlySequence<byte> input, long maxBytes = 1000, int maxLine = 1000)
    {
        var reader = new SmtpDataReader(maxBytes, maxLine);
        var done = reader.TryReadToEnd(input, out var consumed);
        return (reader, done, input.Slice(0, consumed).Length);
    }

    private static string Text(SmtpDataReader reader) => Encoding.ASCII.GetString(reader.Message.Span);

    [Fact]
    public void Dot_stuffing_is_removed_and_the_end_found_in_every_split()
    {
        var input = Encoding.ASCII.GetBytes("Subject: x\r\n\r\n..leading dot\r\n...\r\n.\r\nNOOP\r\n");
        var end = input.Length - "NOOP\r\n".Length;

        foreach (var split in SegmentedSequence.AllSplits(input))
        {
            var (reader, done, consumed) = Read(split);

            Assert.True(done);
            Assert.Equal(end, consumed);
            Assert.Equal("Subject: x\r\n\r\n.leading dot\r\n..\r\n", Text(reader));
        }
    }

    [Fact]
    public void Data_fed_piece_by_piece_ends_at_the_terminator()
    {
        var reader = new SmtpDataReader(1000, 1000);
        var pieces = new[] { "line one\r", "\n.", ".x\r\n", ".", "\r", "\n" };
        var done = false;
        foreach (var piece in pieces)
        {
            Assert.False(done);
            done = reader.TryReadToEnd(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(piece)), out _);
        }

        Assert.True(done);
        Assert.Equal("line one\r\n.x\r\n", Text(reader));
    }

    [Fact]
    public void An_empty_message_is_just_the_terminator()
    {
        var (reader, done, consumed) = Read(new ReadOnlySequence<byte>(".\r\n"u8.ToArray()));

        Assert.True(done);
        Assert.Equal(3, consumed);
        Assert.Equal(0, reader.Size);
    }

    [Theory]
    [InlineData("a\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n")] // LF "." LF is data: no smuggled end
    [InlineData("a\r\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n")] // CRLF "." LF too
    [InlineData("a\n.\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n")] // LF "." CRLF: not the end either
    public void Only_crlf_dot_crlf_ends_the_data_and_bare_lf_is_reported(string input, string stored)
    {
        var (reader, done, _) = Read(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input)));

        Assert.True(done);
        Assert.True(reader.SawBareLineFeed);
        Assert.Equal(stored, Text(reader));
    }

    [Fact]
    public void A_bare_cr_is_data()
    {
        var (reader, done, _) = Read(new ReadOnlySequence<byte>("a\rb\r\n.\r\n"u8.ToArray()));

        Assert.True(done);
        Assert.False(reader.SawBareLineFeed);
        Assert.Equal("a\rb\r\n", Text(reader));
    }

    [Fact]
    public void Past_the_size_limit_the_bytes_are_counted_but_not_kept()
    {
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789\r\n", 20)) + ".\r\n");

        var (reader, done, _) = Read(new ReadOnlySequence<byte>(input), maxBytes: 100);

        Assert.True(done);
        Assert.True(reader.Overflowed);
        Assert.Equal(240, reader.Size);
        Assert.True(reader.Message.IsEmpty);
    }

    [Fact]
    public void A_message_exactly_at_the_size_limit_is_kept()
    {
        var (reader, done, _) = Read(new ReadOnlySequence<byte>("0123456789\r\n.\r\n"u8.ToArray()), maxBytes: 12);

        Assert.True(done);
        Assert.False(reader.Overflowed);
        Assert.Equal("0123456789\r\n", Text(reader));
    }

    [Fact]
    public void A_line_over_the_data_line_limit_is_reported_in_every_split()
    {
        var input = Encoding.ASCII.GetBytes("short\r\n" + new string('x', 9) + "\r\n.\r\n");
        foreach (var split in SegmentedSequence.AllSplits(input))
        {
            Assert.True(Read(split, maxLine: 10).Reader.LineTooLong);
            Assert.False(Read(split, maxLine: 11).Reader.LineTooLong);
        }
    }
}
