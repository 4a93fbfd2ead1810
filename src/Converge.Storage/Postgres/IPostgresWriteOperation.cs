namespace Converge.Storage.Postgres;

/// <summary>One caller's write queued for the writer loop: statements to run, and the task its caller awaits.</summary>
internal interface IPostgresWriteOperation
{
    CancellationToken CancellationToken { get; }

    IReadOnlyList<PostgresStatement> Statements { get; }

    /// <summary>The statements' transaction committed: turns their results into the caller's answer.</summary>
    void Complete(ReadOnlySpan<PostgresResult> results);

    void Fail(Exception exception);

    void Cancel();
}
