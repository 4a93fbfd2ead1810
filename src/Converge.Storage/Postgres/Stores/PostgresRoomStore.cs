using System.Text.Json;
using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// Persistent group-chat rooms: one row per room (its configuration as JSON, as on SQLite, so a new
/// form field needs no migration) and one row per affiliation. A save replaces the room's
/// affiliations whole, in the same commit as the room row.
/// </summary>
internal sealed class PostgresRoomStore(PostgresWriter writer, PostgresReader reader) : IRoomStore
{
    private const string SelectRooms = "SELECT room, configuration, subject, subject_by, salt FROM muc_rooms";

    private const string SelectAffiliations = "SELECT room, jid, affiliation FROM muc_affiliations";

    private const string UpsertRoom = """
        INSERT INTO muc_rooms (room, configuration, subject, subject_by, salt) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (room) DO UPDATE SET configuration = excluded.configuration, subject = excluded.subject, subject_by = excluded.subject_by
        """;

    private const string DeleteAffiliations = "DELETE FROM muc_affiliations WHERE room = $1";

    private const string InsertAffiliations = """
        INSERT INTO muc_affiliations (room, jid, affiliation) SELECT $1, a.jid, a.affiliation FROM unnest($2::text[], $3::integer[]) AS a (jid, affiliation)
        """;

    private const string DeleteRoom = "DELETE FROM muc_rooms WHERE room = $1";

    public Task<IReadOnlyList<StoredRoom>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        reader.SnapshotAsync<IReadOnlyList<StoredRoom>>(
            async (connection, transaction) =>
            {
                var affiliations = new Dictionary<string, Dictionary<Jid, MucAffiliation>>(StringComparer.Ordinal);
                var rows = await PostgresReader.ListAsync(
                    connection, transaction, new(SelectAffiliations),
                    static r => (Room: r.GetString(0), Jid: Jid.Parse(r.GetString(1)), Affiliation: (MucAffiliation)r.GetInt32(2)),
                    cancellationToken).ConfigureAwait(false);
                foreach (var (room, jid, affiliation) in rows)
                {
                    if (!affiliations.TryGetValue(room, out var list))
                    {
                        affiliations[room] = list = [];
                    }

                    list[jid] = affiliation;
                }

                return await PostgresReader.ListAsync(
                    connection, transaction, new(SelectRooms),
                    r => new StoredRoom(
                        Jid.Parse(r.GetString(0)),
                        JsonSerializer.Deserialize<RoomConfiguration>(r.GetString(1)) ?? new RoomConfiguration(),
                        r.IsDBNull(2) ? null : r.GetString(2),
                        r.IsDBNull(3) ? null : r.GetString(3),
                        r.GetString(4),
                        affiliations.TryGetValue(r.GetString(0), out var list) ? list : new Dictionary<Jid, MucAffiliation>()),
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task SaveAsync(StoredRoom room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        var jid = room.Room.Bare.ToString();
        var affiliations = room.Affiliations.ToArray();
        return writer.WriteAsync(
            [
                new(UpsertRoom, jid, JsonSerializer.Serialize(room.Configuration), room.Subject, room.SubjectBy, room.Salt),
                new(DeleteAffiliations, jid),
                new(InsertAffiliations, jid, affiliations.Select(static a => a.Key.Bare.ToString()).ToArray(), affiliations.Select(static a => (int)a.Value).ToArray()),
            ],
            static _ => true,
            cancellationToken);
    }

    public Task DeleteAsync(Jid room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        var jid = room.Bare.ToString();
        return writer.WriteAsync([new(DeleteAffiliations, jid), new(DeleteRoom, jid)], static _ => true, cancellationToken);
    }
}
