using Converge.Core.Storage;
using Converge.Storage.Sqlite.Schema;
using Converge.Storage.Sqlite.Stores;

namespace Converge.Storage.Sqlite;

/// <summary>One open database file: its writer, its readers and the stores built on them.</summary>
internal sealed class SqliteDatabase : IStores
{
    private int _disposed;

    private readonly SqliteCheckpointer _checkpointer;

    private SqliteDatabase(string path, SqliteWriter writer, SqliteReaderPool readers, SqliteCheckpointer checkpointer, long lastArchiveId)
    {
        Path = path;
        Writer = writer;
        Readers = readers;
        _checkpointer = checkpointer;
        Accounts = new SqliteAccountStore(writer, readers);
        Rosters = new SqliteRosterStore(writer, readers);
        Offline = new SqliteOfflineStore(writer, readers);
        BlockLists = new SqliteBlockListStore(writer, readers);
        VCards = new SqliteVCardStore(writer, readers);
        Archive = new SqliteArchiveStore(writer, readers, lastArchiveId);
        NumberAliases = new SqliteNumberAliasStore(writer, readers);
        Outbox = new SqliteOutboxStore(writer, readers);
        ThreadMap = new SqliteThreadMapStore(writer, readers);
        Rooms = new SqliteRoomStore(writer, readers);
        Pep = new SqlitePepStore(writer, readers);
        PrivateXml = new SqlitePrivateXmlStore(writer, readers);
        Uploads = new SqliteUploadStore(writer, readers);
        InterworkingState = new SqliteInterworkingStateStore(writer, readers);
        Push = new SqlitePushStore(writer, readers);
        SpamReports = new SqliteSpamReportStore(writer, readers);
        DomainBlocks = new SqliteDomainBlockStore(writer, readers);
    }

    public string Path { get; }

    public SqliteWriter Writer { get; }

    public SqliteReaderPool Readers { get; }

    public long BackgroundCheckpoints => _checkpointer.Checkpoints;

    public IAccountStore Accounts { get; }

    public IRosterStore Rosters { get; }

    public IOfflineStore Offline { get; }

    public IBlockListStore BlockLists { get; }

    public IVCardStore VCards { get; }

    public IArchiveStore Archive { get; }

    public INumberAliasStore NumberAliases { get; }

    public IOutboxStore Outbox { get; }

    public IThreadMapStore ThreadMap { get; }

    public IRoomStore Rooms { get; }
    public IPepStore Pep { get; }

    public IPrivateXmlStore PrivateXml { get; }
    public IUploadStore Uploads { get; }

    public IInterworkingStateStore InterworkingState { get; }

    public StorageSpace Space { get; private init; } = new();

    private StorageSpaceMonitor? Monitor { get; init; }
    public IPushStore Push { get; }
    public ISpamReportStore SpamReports { get; }

    public IDomainBlockStore DomainBlocks { get; }

    public static SqliteDatabase Open(string databasePath, SqliteStoreOptions options)
    {
        var path = System.IO.Path.GetFullPath(databasePath);
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            CreateOwnerOnly(directory);
        }

        CreateOwnerOnlyFile(path);
        var session = SqliteConnectionFactory.OpenWriter(path, options);
        long lastArchiveId;
        try
        {
            SchemaMigrator.Migrate(session);
            lastArchiveId = Convert.ToInt64(session.Command(SqliteArchiveStore.SelectLastId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        var checkpointer = new SqliteCheckpointer(SqliteConnectionFactory.OpenCheckpointer(path, options), options.CheckpointInterval);
        var space = new StorageSpace();
        var monitor = new StorageSpaceMonitor(space, () => FreeBytes(path), options.MinFreeBytes);
        return new SqliteDatabase(path, new SqliteWriter(session, options, space), new SqliteReaderPool(path, options), checkpointer, lastArchiveId)
        {
            Space = space,
            Monitor = monitor,
        };
    }

    /// <summary>What the file system holding the database still has for us (statvfs), or null when it cannot say.</summary>
    private static long? FreeBytes(string databasePath)
    {
        try
        {
            return new DriveInfo(System.IO.Path.GetDirectoryName(databasePath)!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    // On Unix a new directory is 0700 and a new database file 0600; SQLite creates the -wal and -shm
    // files with the mode of the database file. Existing files and directories keep their modes.
    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void CreateOwnerOnlyFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process meanwhile: it keeps its mode.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Writes already accepted are committed before the connections close; the writer's connection,
        // closing last after the checkpointer, copies what is left of the log into the database.
        if (Monitor is not null)
        {
            await Monitor.DisposeAsync().ConfigureAwait(false);
        }

        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Readers.DisposeAsync().ConfigureAwait(false);
    }
}
