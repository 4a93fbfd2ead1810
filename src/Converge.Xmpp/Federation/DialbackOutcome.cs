namespace Converge.Xmpp.Federation;

/// <summary>What the authoritative server said about a dialback key (XEP-0220 §2.2).</summary>
internal enum DialbackOutcome
{
    Valid,
    Invalid,

    /// <summary>The authoritative server could not be reached or did not answer in time.</summary>
    Unverified,
}
