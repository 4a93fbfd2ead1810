using System.Runtime.Versioning;
using Converge.Hosting;

namespace Converge.Tests.Cli;

[UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests : IDisposable
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_data_directory_is_created_0700_and_draws_no_warning()
    {
        var path = _dir.File("data");

        DataDirectory.Create(path);

        Assert.Equal(Rwx, File.GetUnixFileMode(path));
        Assert.Null(DataDirectory.AccessWarning(path));
    }

    [Fact]
    public void An_existing_group_or_world_accessible_directory_keeps_its_mode_and_is_named_in_a_warning()
    {
        var path = _dir.File("data");
        var open = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(path, open);
        File.SetUnixFileMode(path, open);

        DataDirectory.Create(path);

        Assert.Equal(open, File.GetUnixFileMode(path));
        var warning = DataDirectory.AccessWarning(path);
        Assert.NotNull(warning);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("0755", warning, StringComparison.Ordinal);
    }
}
