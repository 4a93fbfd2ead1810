namespace Converge.Hosting;

/// <summary>
/// The data directory holds the database and the generated TLS key: on Unix it is created readable
/// by the server's user only (0700). An existing directory is never chmod-ed behind the operator's
/// back; if others can enter it, the server says so at every start.
/// </summary>
internal static class DataDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory (0700 on Unix) unless it exists; an existing one keeps its mode.</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }

    /// <summary>A warning naming the directory when its group or others have any access to it; null otherwise.</summary>
    public static string? AccessWarning(string path)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(path))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOthers) == 0
            ? null
            : $"data directory {path} is accessible to its group or others (mode {Octal(mode)}); chmod 700 it";
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
