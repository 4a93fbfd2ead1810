namespace Converge.Core.Federation;

/// <summary>What an interconnection agreement can let cross between two providers (seed 000 §7.1.7).</summary>
[Flags]
public enum InterconnectionFeature
{
    None = 0,

    /// <summary>Chat and normal messages.</summary>
    Messaging = 1,

    /// <summary>Presence broadcasts and probes between subscribed contacts.</summary>
    Presence = 2,

    /// <summary>Subscription requests and answers (adding each other as contacts).</summary>
    Subscription = 4,

    /// <summary>The user directory (XEP-0055) of the other provider.</summary>
    Search = 8,

    /// <summary>Chat session negotiation (XEP-0155).</summary>
    Sessions = 16,

    /// <summary>
    /// The peer's users may make our SMS and email gateway send (to <c>+E164@our-domain</c> or an
    /// escaped mail address). Without it only our own accounts can: a gateway open to every peer is
    /// an SMS-pumping fraud. Counted and limited per peer (<see cref="InterconnectionAgreement.InterworkingPerMinute"/>).
    /// </summary>
    Interworking = 32,

    /// <summary>
    /// Personal eventing (XEP-0163): PEP events and last items (moods, avatars, OMEMO device lists)
    /// reach the contacts at the peer, and the peer's users may query and publish-subscribe on our
    /// accounts' PEP nodes (access models still apply).
    /// </summary>
    Pep = 64,

    /// <summary>
    /// Group chat (XEP-0045): the peer's users join our rooms and ours join the peer's. Without it a
    /// join is refused with <c>not-allowed</c> in either direction.
    /// </summary>
    GroupChat = 128,

    /// <summary>
    /// Messages carrying out-of-band data (XEP-0066 <c>jabber:x:oob</c>), the links HTTP File Upload
    /// (XEP-0363) clients send: without it such messages do not cross, in either direction. The links
    /// themselves are plain HTTP URLs; the upload service serves only our own users either way.
    /// </summary>
    FileTransfer = 256,

    /// <summary>
    /// Push notifications (XEP-0357): our server publishes a user's notifications to an app server at
    /// the peer. An agreement may grant a push provider's domain only this feature.
    /// </summary>
    Push = 512,
}
