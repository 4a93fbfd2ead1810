namespace Converge.Configuration;

internal enum StorageProvider
{
    Sqlite,
    Postgres,
}
