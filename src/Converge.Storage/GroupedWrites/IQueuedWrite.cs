namespace Converge.Storage.GroupedWrites;

/// <summary>What <see cref="GroupedWriteLoop{TWrite}"/> needs of a queued write, whatever the database.</summary>
internal interface IQueuedWrite
{
    CancellationToken CancellationToken { get; }

    void Fail(Exception exception);

    void Cancel();
}
