using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>XEP-0054 vCards, kept as the serialized &lt;vCard xmlns='vcard-temp'/&gt; element.</summary>
public interface IVCardStore
{
    Task<string?> GetAsync(Jid owner, CancellationToken cancellationToken = default);

    Task SetAsync(Jid owner, string vcardXml, CancellationToken cancellationToken = default);
}
