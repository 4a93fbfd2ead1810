using Converge.Core.Storage;

namespace Converge.Storage.Tests.Contract;

/// <summary>
/// An empty database of one provider for one test: the contract tests run the same assertions
/// through it on SQLite and on PostgreSQL.
/// </summary>
public interface IStoreDatabase : IAsyncDisposable
{
    /// <summary>"Sqlite" or "Postgres".</summary>
    string Provider { get; }

    /// <summary>Opens the stores (again: a second call is a restart on the same data).</summary>
    Task<IStores> OpenAsync();

    /// <summary>How many grouped-commit transactions the writer of <paramref name="stores"/> committed.</summary>
    long CommittedBatches(IStores stores);

    /// <summary>Runs SQL outside the store, as an operator's shell would, and returns column 0 of row 0.</summary>
    Task<object?> ScalarAsync(string sql);
}
