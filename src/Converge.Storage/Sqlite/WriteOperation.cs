namespace Converge.Storage.Sqlite;

/// <summary>
/// A write and the task its caller awaits, in one object. Its continuations run inline where it is
/// completed, which is never the writer loop: <see cref="WriteCompletions"/> completes a whole batch on
/// one thread-pool work item (one hop per batch rather than one per write).
/// </summary>
internal sealed class WriteOperation<TState, TResult> : TaskCompletionSource<TResult>, IWriteOperation
{
    private readonly Func<SqliteSession, TState, TResult> _body;
    private readonly TState _state;
    private TResult _result = default!;

    public WriteOperation(Func<SqliteSession, TState, TResult> body, TState state, CancellationToken cancellationToken)
        : base(TaskCreationOptions.None)
    {
        _body = body;
        _state = state;
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    public void Execute(SqliteSession session) => _result = _body(session, _state);

    public void Complete() => TrySetResult(_result);

    public void Fail(Exception exception) => TrySetException(exception);

    public void Cancel() => TrySetCanceled(CancellationToken);
}
