using Converge.Core.Storage;
using Converge.Storage.Postgres.Stores;
using Npgsql;

namespace Converge.Storage.Postgres;

/// <summary>One PostgreSQL database: its data source, the grouped-commit writer and the stores built on them.</summary>
internal sealed class PostgresDatabase : IStores
{
    private int _disposed;
    private readonly StorageSpaceMonitor _monitor;

    public PostgresDatabase(NpgsqlDataSource source, PostgresStoreOptions options, long lastArchiveId, Stores.ClusterArchiveIds? clusterIds = null)
    {
        Source = source;
        Writer = new PostgresWriter(source, options, Space);
        _monitor = new StorageSpaceMonitor(Space, static () => null, 0);
        var reader = new PostgresReader(source);
        Accounts = new PostgresAccountStore(Writer, reader);
        Rosters = new PostgresRosterStore(Writer, reader);
        Offline = new PostgresOfflineStore(Writer, reader);
        BlockLists = new PostgresBlockListStore(Writer, reader);
        VCards = new PostgresVCardStore(Writer, reader);
        Archive = new PostgresArchiveStore(Writer, reader, lastArchiveId, clusterIds);
        NumberAliases = new PostgresNumberAliasStore(Writer, reader);
        Outbox = new PostgresOutboxStore(Writer, reader);
        OutboxLaneLeases = options.ClusterNodeName is null ? null : new PostgresOutboxLaneLeaseStore(reader);
        ThreadMap = new PostgresThreadMapStore(Writer, reader);
        Pep = new PostgresPepStore(Writer, reader);
        PrivateXml = new PostgresPrivateXmlStore(Writer, reader);
        Rooms = new PostgresRoomStore(Writer, reader);
        Uploads = new PostgresUploadStore(Writer, reader);
        InterworkingState = new PostgresInterworkingStateStore(Writer, reader);
        Push = new PostgresPushStore(Writer, reader);
        SpamReports = new PostgresSpamReportStore(Writer, reader);
        DomainBlocks = new PostgresDomainBlockStore(Writer, reader);
    }

    public NpgsqlDataSource Source { get; }

    public PostgresWriter Writer { get; }

    public IAccountStore Accounts { get; }

    public IRosterStore Rosters { get; }

    public IOfflineStore Offline { get; }

    public IBlockListStore BlockLists { get; }

    public IVCardStore VCards { get; }

    public IArchiveStore Archive { get; }

    public INumberAliasStore NumberAliases { get; }

    public IOutboxStore Outbox { get; }

    /// <summary>Set on a cluster node only: a node alone sends every lane without a lease.</summary>
    public IOutboxLaneLeaseStore? OutboxLaneLeases { get; }

    public IThreadMapStore ThreadMap { get; }

    public IPepStore Pep { get; }

    public IPrivateXmlStore PrivateXml { get; }

    public IRoomStore Rooms { get; }

    public IUploadStore Uploads { get; }

    public IInterworkingStateStore InterworkingState { get; }

    public StorageSpace Space { get; } = new();
    public IPushStore Push { get; }
    public ISpamReportStore SpamReports { get; }

    public IDomainBlockStore DomainBlocks { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _monitor.DisposeAsync().ConfigureAwait(false);

        // Writes already accepted are committed before the connections close.
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Source.DisposeAsync().ConfigureAwait(false);
    }
}
