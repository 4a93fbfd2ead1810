namespace Converge.Xmpp.Routing;

/// <summary>Where a stanza is going, decided once when it enters the routing step.</summary>
internal enum RouteTarget
{
    /// <summary>A local account's bare JID (or no 'to' from a client: the sender's own account).</summary>
    Bare,

    /// <summary>A resource of a local account.</summary>
    Full,

    /// <summary>The served domain itself.</summary>
    Host,

    /// <summary>A service domain of ours or an address at it (search.&lt;domain&gt;, room@conference.&lt;domain&gt;): <see cref="Services.LocalServices"/>.</summary>
    Service,

    /// <summary>Another provider's domain (after number resolution): the interconnection.</summary>
    Remote,

    /// <summary>A phone number or email address that is nobody's account here: SMS or email.</summary>
    Legacy,
}
