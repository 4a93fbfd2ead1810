using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>An archive row as queued for the writer: its id and stamp in their stored form, with the message they belong to.</summary>
internal readonly record struct ArchiveRow(long Id, long Stamp, ArchivedMessage Message);
