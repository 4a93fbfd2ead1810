namespace Converge.Xmpp.Upload;

/// <summary>What became of an HTTP PUT to a slot URL; the host turns it into an HTTP status.</summary>
public enum PutOutcome
{
    /// <summary>Stored (201 Created).</summary>
    Created,

    /// <summary>No such slot, or the file name is not the slot's (404).</summary>
    UnknownSlot,

    /// <summary>The slot was already used, or a PUT to it is in progress (409).</summary>
    AlreadyUsed,

    /// <summary>The slot's lifetime is over (410 Gone).</summary>
    Expired,

    /// <summary>Content-Length or the body's length is not the size the slot was granted for (400).</summary>
    WrongSize,

    /// <summary>Content-Type is not the one the slot was granted for (415).</summary>
    WrongContentType,
}
