using Converge.Storage.GroupedWrites;

namespace Converge.Storage.Postgres;

/// <summary>One caller's write queued for the writer loop: statements to run, and the task its caller awaits.</summary>
internal interface IPostgresWriteOperation : IQueuedWrite
{
    IReadOnlyList<PostgresStatement> Statements { get; }

    /// <summary>The statements' transaction committed: turns their results into the caller's answer.</summary>
    void Complete(ReadOnlySpan<PostgresResult> results);
}
