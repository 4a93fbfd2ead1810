namespace Converge.Xmpp.GroupChat;

/// <summary>Who may create a room by joining one that does not exist yet (<c>GroupChat.RoomCreation</c>).</summary>
public enum RoomCreation
{
    /// <summary>Users with an account here; a peer's users may join rooms but not create them.</summary>
    LocalUsers,

    /// <summary>Anyone who may reach the service, peers' users (under the agreement) included.</summary>
    Anyone,
}
