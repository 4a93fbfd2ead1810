namespace Converge.Storage.Tests.Postgres;

/// <summary>Every PostgreSQL test class shares one server per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
