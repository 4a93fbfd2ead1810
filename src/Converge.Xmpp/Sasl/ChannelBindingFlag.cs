namespace Converge.Xmpp.Sasl;

/// <summary>How the client answered the channel binding question in its GS2 header (RFC 5802 §6).</summary>
internal enum ChannelBindingFlag
{
    /// <summary>"n": the client does not support channel binding.</summary>
    NotSupported,

    /// <summary>"y": the client supports it but thinks the server does not.</summary>
    ClientSupports,

    /// <summary>"p=type": the client binds to the channel.</summary>
    Required,
}
