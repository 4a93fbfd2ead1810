namespace Converge.Storage.Sqlite.Schema;

/// <summary>One step of the schema: applied once, in order, inside the opening transaction.</summary>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
