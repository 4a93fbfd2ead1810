using Converge.Storage.GroupedWrites;

namespace Converge.Storage.Sqlite;

/// <summary>One caller's unit of work queued for the writer loop.</summary>
internal interface IWriteOperation : IQueuedWrite
{
    /// <summary>Runs the work inside the batch transaction; its result is held until the batch commits.</summary>
    void Execute(SqliteSession session);

    /// <summary>The batch committed: hands the caller its result.</summary>
    void Complete();
}
