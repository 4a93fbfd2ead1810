namespace Converge.Storage.Migration;

/// <summary>The migration did not start because it would mix data (a target that is not empty, the same database twice).</summary>
public sealed class MigrationRefusedException(string message) : InvalidOperationException(message);
