namespace Converge.Fuzz;

/// <summary>
/// A property a target checks beyond "does not throw" failed (e.g. what the writer wrote does not
/// parse again). Thrown so that afl-fuzz records the input as a crash.
/// </summary>
internal sealed class FuzzFindingException(string message) : Exception(message);
