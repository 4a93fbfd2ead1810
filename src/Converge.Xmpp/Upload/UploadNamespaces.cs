namespace Converge.Xmpp.Upload;

/// <summary>XEP-0363 names.</summary>
internal static class UploadNamespaces
{
    public const string Upload = "urn:xmpp:http:upload:0";

    /// <summary>XEP-0066 out-of-band data in messages: the link a client sends after uploading.</summary>
    public const string OutOfBand = "jabber:x:oob";
}
