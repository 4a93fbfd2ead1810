namespace Converge.Tests.Cli;

/// <summary>The CLI tests that need PostgreSQL share one throwaway server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
