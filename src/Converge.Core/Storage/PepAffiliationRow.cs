namespace Converge.Core.Storage;

/// <summary>One JID's affiliation with one of an account's PEP nodes (XEP-0060 §8.9): <c>member</c>, <c>publisher</c> or <c>outcast</c>.</summary>
public sealed record PepAffiliationRow(string Node, string Jid, string Affiliation);
