namespace Converge.Interop.Scenarios;

/// <summary>The scenarios run on PostgreSQL share one throwaway server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
