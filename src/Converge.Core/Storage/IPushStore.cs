using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>Push registrations (XEP-0357) per account, keyed by app server JID and node.</summary>
public interface IPushStore
{
    Task<IReadOnlyList<PushRegistrationRow>> GetAsync(Jid owner, CancellationToken cancellationToken = default);

    /// <summary>Adds the registration, or replaces the one with the same app server and node.</summary>
    Task SaveAsync(Jid owner, PushRegistrationRow registration, CancellationToken cancellationToken = default);

    /// <summary>Removes the registrations on <paramref name="service"/>: only <paramref name="node"/> when given, else all of them.</summary>
    Task RemoveAsync(Jid owner, string service, string? node, CancellationToken cancellationToken = default);
}
