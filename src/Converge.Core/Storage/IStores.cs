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

    /// <summary>Outbox lane leases of a cluster node (one node per lane); null on a node alone, which needs none.</summary>
    IOutboxLaneLeaseStore? OutboxLaneLeases => null;

    IThreadMapStore ThreadMap { get; }

    /// <summary>Persistent group-chat rooms (XEP-0045).</summary>
    IRoomStore Rooms { get; }
    /// <summary>PEP nodes and items (XEP-0163).</summary>
    IPepStore Pep { get; }

    /// <summary>Private XML storage (XEP-0049).</summary>
    IPrivateXmlStore PrivateXml { get; }
    IUploadStore Uploads { get; }

    /// <summary>Session invitations and SMS submission progress of the interworking function (survive restarts).</summary>
    IInterworkingStateStore InterworkingState { get; }

    /// <summary>Whether the store has room for new writes (disk full is refused, not swallowed).</summary>
    StorageSpace Space { get; }
    /// <summary>Push registrations (XEP-0357).</summary>
    IPushStore Push { get; }
    /// <summary>Spam and abuse reports (XEP-0377).</summary>
    ISpamReportStore SpamReports { get; }

    /// <summary>The server-wide domain blocklist.</summary>
    IDomainBlockStore DomainBlocks { get; }
}
