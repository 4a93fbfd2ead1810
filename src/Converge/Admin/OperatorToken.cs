namespace Converge.Admin;

/// <summary>A stored operator token: its name, its scope, and the SHA-256 of the secret (the secret itself is never kept).</summary>
internal sealed record OperatorToken(string Name, OperatorScope Scope, string Hash, DateTimeOffset Created);
