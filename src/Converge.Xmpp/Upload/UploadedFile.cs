namespace Converge.Xmpp.Upload;

/// <summary>A stored upload as GET serves it.</summary>
public sealed record UploadedFile(string Path, string FileName, string ContentType, long Size);
