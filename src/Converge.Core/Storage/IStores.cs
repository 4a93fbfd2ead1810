namespace Converge.Core.Storage;

/// <summary>All aggregates' stores of one storage provider.</summary>
public interface IStores : IAsyncDisposable
{
    IAccountStore Accounts { get; }
    IRosterStore Rosters { get; }
    IOfflineStore Offline { get; }
    IBlockListStore BlockLists { get; }
    IVCardStore VCards { get; }
    IArchiveStore Archive { get; }

    INumberAliasStore NumberAliases { get; }

    IOutboxStore Outbox { get; }

    IThreadMapStore ThreadMap { get; }

    IUploadStore Uploads { get; }
}
