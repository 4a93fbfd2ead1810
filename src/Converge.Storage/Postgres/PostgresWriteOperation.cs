namespace Converge.Storage.Postgres;

/// <summary>
/// A write and the task its caller awaits, in one object. Continuations run asynchronously so that
/// completing a group never runs callers' code on the writer loop.
/// </summary>
internal sealed class PostgresWriteOperation<TResult> : TaskCompletionSource<TResult>, IPostgresWriteOperation
{
    private readonly Func<PostgresResult[], TResult> _interpret;
    private readonly Func<Npgsql.PostgresException, Exception?>? _explain;

    public PostgresWriteOperation(
        IReadOnlyList<PostgresStatement> statements,
        Func<PostgresResult[], TResult> interpret,
        Func<Npgsql.PostgresException, Exception?>? explain,
        CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Statements = statements;
        _interpret = interpret;
        _explain = explain;
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    public IReadOnlyList<PostgresStatement> Statements { get; }

    public void Complete(ReadOnlySpan<PostgresResult> results)
    {
        try
        {
            TrySetResult(_interpret(results.ToArray()));
        }
        catch (Exception e)
        {
            TrySetException(e);
        }
    }

    // A store may turn a constraint the database enforced into the error its callers expect.
    public void Fail(Exception exception) =>
        TrySetException(exception is Npgsql.PostgresException pg && _explain?.Invoke(pg) is { } explained ? explained : exception);

    public void Cancel() => TrySetCanceled(CancellationToken);
}
