using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>XEP-0357 push registrations, one row per account, app server JID and node.</summary>
internal sealed class SqlitePushStore(SqliteWriter writer, SqliteReaderPool readers) : IPushStore
{
    private const string Select = "SELECT service, node, resource, publish_options FROM push_registrations WHERE owner = $owner ORDER BY service, node";

    private const string Upsert = """
        INSERT INTO push_registrations (owner, service, node, resource, publish_options) VALUES ($owner, $service, $node, $resource, $options)
        ON CONFLICT (owner, service, node) DO UPDATE SET resource = excluded.resource, publish_options = excluded.publish_options
        """;

    private const string DeleteNode = "DELETE FROM push_registrations WHERE owner = $owner AND service = $service AND node = $node";

    private const string DeleteService = "DELETE FROM push_registrations WHERE owner = $owner AND service = $service";

    public Task<IReadOnlyList<PushRegistrationRow>> GetAsync(Jid owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return readers.ReadAsync<string, IReadOnlyList<PushRegistrationRow>>(
            static (s, owner) =>
            {
                using var reader = s.Command(Select).Bind("$owner", owner).ExecuteReader();
                var rows = new List<PushRegistrationRow>();
                while (reader.Read())
                {
                    rows.Add(new PushRegistrationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }

                return rows;
            },
            owner.Bare.ToString(),
            cancellationToken);
    }

    public Task SaveAsync(Jid owner, PushRegistrationRow registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(registration);
        return writer.WriteAsync(
            static (s, row) => s.Command(Upsert).Bind("$owner", row.Owner).Bind("$service", row.R.Service).Bind("$node", row.R.Node)
                .Bind("$resource", row.R.Resource).Bind("$options", row.R.PublishOptions).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), R: registration),
            cancellationToken);
    }

    public Task RemoveAsync(Jid owner, string service, string? node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(service);
        return writer.WriteAsync(
            static (s, key) => key.Node is null
                ? s.Command(DeleteService).Bind("$owner", key.Owner).Bind("$service", key.Service).ExecuteNonQuery()
                : s.Command(DeleteNode).Bind("$owner", key.Owner).Bind("$service", key.Service).Bind("$node", key.Node).ExecuteNonQuery(),
            (Owner: owner.Bare.ToString(), Service: service, Node: node),
            cancellationToken);
    }
}
