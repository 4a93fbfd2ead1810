namespace Converge.Core.Storage;

/// <summary>
/// One client's push registration (XEP-0357 enable): the app server's JID and node, the resource of
/// the client that enabled it (whose absence makes a notification worth sending), and the
/// publish-options form the client gave, serialized, forwarded with every notification.
/// </summary>
/// <param name="Service">The app server's JID (XEP-0357 'jid').</param>
/// <param name="Node">The app server's node for this device.</param>
/// <param name="Resource">The resource of the session that enabled it; empty when unknown.</param>
/// <param name="PublishOptions">The XEP-0004 form to send as publish-options; empty when none.</param>
public sealed record PushRegistrationRow(string Service, string Node, string Resource, string PublishOptions);
