using System.Buffers;
using System.Text;
using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

public sealed class SmtpReplyReaderTests
{
    [Fact]
    public void A_multi_line_reply_is_read_whole_in_every_split_and_the_next_one_left()
    {
        var input = Encoding.ASCII.GetBytes("250-mx.example Hello\r\n250-SIZE 1000\r\n250 PIPELINING\r\n220 next\r\n");
        foreach (var split in Segments.AllSplits(input))
        {
            var buffer = split;

            Assert.True(SmtpReplyReader.TryRead(ref buffer, out var reply));
            Assert.Equal(250, reply!.Code);
            Assert.Equal(["mx.example Hello", "SIZE 1000", "PIPELINING"], reply.Lines);
            Assert.Equal("220 next\r\n", Encoding.ASCII.GetString(buffer.ToArray()));
        }
    }

    [Fact]
    public void An_incomplete_reply_is_not_read()
    {
        var buffer = new ReadOnlySequence<byte>("250-first\r\n250 la"u8.ToArray());

        Assert.False(SmtpReplyReader.TryRead(ref buffer, out _));
        Assert.Equal(17, buffer.Length);
    }

    [Theory]
    [InlineData("hello\r\n")]
    [InlineData("25x ok\r\n")]
    [InlineData("250-a\r\n354 b\r\n")]
    [InlineData("250_x\r\n")]
    [InlineData("199 too low\r\n")]
    public void Lines_that_are_not_replies_break_the_connection(string input)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));

        Assert.Throws<SmtpProtocolException>(() => SmtpReplyReader.TryRead(ref buffer, out _));
    }
}
