namespace Converge.Xmpp.Routing.Services;

/// <summary>
/// A service of ours with a domain of its own - the user directory on <c>search.&lt;domain&gt;</c>, group
/// chat on <c>conference.&lt;domain&gt;</c>, file upload on <c>upload.&lt;domain&gt;</c>. Every stanza addressed
/// to that domain, or to an address at it (<c>room@conference.example/nick</c>), is routed to it once the
/// policy handlers have passed it (<see cref="ServiceDispatch"/>). Clients find it in the server's
/// <c>disco#items</c> (XEP-0030).
/// </summary>
internal interface ILocalService
{
    /// <summary>The service's domain, case-folded (<c>conference.example.com</c>).</summary>
    string Domain { get; }

    /// <summary>The human-readable name shown in the server's <c>disco#items</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Handles a stanza addressed to the service. Returns false for what the service does not serve;
    /// the router then answers as RFC 6120 says (<c>service-unavailable</c> for messages and IQs).
    /// </summary>
    ValueTask<bool> HandleAsync(RoutedStanza routed, CancellationToken cancellationToken);
}
