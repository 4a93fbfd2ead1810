using Converge.Storage.Sqlite.Stores;

namespace Converge.Storage.Tests.Archive;

public sealed class ArchiveIdTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(31L)]
    [InlineData(32L)]
    [InlineData(123_456_789L)]
    [InlineData(long.MaxValue)]
    public void Every_row_id_round_trips_through_its_text(long id)
    {
        var text = ArchiveId.Format(id);

        Assert.Equal(ArchiveId.Length, text.Length);
        Assert.True(ArchiveId.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void Ids_sort_as_text_the_way_they_sort_as_numbers()
    {
        long[] ids = [1, 9, 10, 31, 32, 33, 1023, 1024, 99_999, 1L << 40, long.MaxValue];

        Assert.Equal(ids.Select(ArchiveId.Format), ids.Select(ArchiveId.Format).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0000000000001 ")]
    [InlineData("000000000001")]
    [InlineData("000000000000A")]
    [InlineData("000000000000i")]
    [InlineData("0000000000000")]
    [InlineData("8000000000000")]
    [InlineData("zzzzzzzzzzzzz")]
    public void Text_that_no_row_id_formats_to_is_refused(string? text)
    {
        Assert.False(ArchiveId.TryParse(text, out _));
    }
}
