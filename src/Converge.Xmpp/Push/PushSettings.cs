namespace Converge.Xmpp.Push;

/// <summary>The <c>Push</c> section: push notifications (XEP-0357) to the app servers clients register.</summary>
public sealed class PushSettings
{
    /// <summary>Offer push (the <c>urn:xmpp:push:0</c> enable/disable IQs) to clients.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Put the message body into the notification (<c>last-message-body</c>). Off by default: the
    /// body then passes through the app server and the phone vendor's push service.
    /// </summary>
    public bool IncludeBody { get; set; }

    /// <summary>Most registrations (app server and node pairs) one account may hold; one per device is usual.</summary>
    public int MaxRegistrationsPerAccount { get; set; } = 10;

    /// <summary>Largest publish-options form a client may register, in bytes of serialized XML (it carries the app's secret).</summary>
    public int MaxPublishOptionsBytes { get; set; } = 4096;

    /// <summary>Notifications waiting for the app server's answer, server-wide; beyond it answers are not tracked (errors then do not disable).</summary>
    public int MaxPendingNotifications { get; set; } = 10_000;

    /// <summary>
    /// Room nicks remembered (one per local session and room it is in), to recognise group-chat
    /// mentions; 0: room messages never make notifications.
    /// </summary>
    public int MaxRoomNicks { get; set; } = 100_000;
}
