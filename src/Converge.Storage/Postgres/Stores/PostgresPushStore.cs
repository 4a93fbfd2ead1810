using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>XEP-0357 push registrations, one row per account, app server JID and node.</summary>
internal sealed class PostgresPushStore(PostgresWriter writer, PostgresReader reader) : IPushStore
{
    private const string Select = "SELECT service, node, resource, publish_options FROM push_registrations WHERE owner = $1 ORDER BY service, node";

    private const string Upsert = """
        INSERT INTO push_registrations (owner, service, node, resource, publish_options) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (owner, service, node) DO UPDATE SET resource = excluded.resource, publish_options = excluded.publish_options
        """;

    private const string DeleteNode = "DELETE FROM push_registrations WHERE owner = $1 AND service = $2 AND node = $3";

    private const string DeleteService = "DELETE FROM push_registrations WHERE owner = $1 AND service = $2";

    public async Task<IReadOnlyList<PushRegistrationRow>> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return await reader.ListAsync(
            new(Select, owner.Bare.ToString()),
            static r => new PushRegistrationRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken).ConfigureAwait(false);
    }

    public Task SaveAsync(Jid owner, PushRegistrationRow registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(registration);
        return writer.WriteAsync(
            new PostgresStatement(Upsert, owner.Bare.ToString(), registration.Service, registration.Node, registration.Resource, registration.PublishOptions),
            cancellationToken);
    }

    public Task RemoveAsync(Jid owner, string service, string? node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(service);
        return writer.WriteAsync(
            node is null
                ? new PostgresStatement(DeleteService, owner.Bare.ToString(), service)
                : new PostgresStatement(DeleteNode, owner.Bare.ToString(), service, node),
            cancellationToken);
    }
}
