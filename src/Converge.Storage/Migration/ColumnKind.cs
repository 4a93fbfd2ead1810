namespace Converge.Storage.Migration;

/// <summary>How a column's value is carried between providers (SQLite keeps booleans and integers alike as 64-bit integers).</summary>
internal enum ColumnKind
{
    Text,
    Boolean,
    Int32,
    Int64,
    Bytes,
}
