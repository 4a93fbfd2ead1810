using Converge.Core.Addressing;

namespace Converge.Core.Storage;

/// <summary>XEP-0049 private XML storage: one serialized element per account, element name and namespace.</summary>
public interface IPrivateXmlStore
{
    Task<string?> GetAsync(Jid owner, string name, string ns, CancellationToken cancellationToken = default);

    Task SetAsync(Jid owner, string name, string ns, string xml, CancellationToken cancellationToken = default);
}
