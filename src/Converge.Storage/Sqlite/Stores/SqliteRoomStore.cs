using System.Text.Json;
using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>
/// Persistent group-chat rooms: one row per room (its configuration as JSON, so a new form field
/// needs no migration) and one row per affiliation. A save replaces the room's affiliations whole,
/// in the same transaction as the room row.
/// </summary>
internal sealed class SqliteRoomStore(SqliteWriter writer, SqliteReaderPool readers) : IRoomStore
{
    private const string SelectRooms = "SELECT room, configuration, subject, subject_by, salt FROM muc_rooms";

    private const string SelectAffiliations = "SELECT room, jid, affiliation FROM muc_affiliations";

    private const string UpsertRoom = """
        INSERT INTO muc_rooms (room, configuration, subject, subject_by, salt) VALUES ($room, $configuration, $subject, $subject_by, $salt)
        ON CONFLICT (room) DO UPDATE SET configuration = excluded.configuration, subject = excluded.subject, subject_by = excluded.subject_by
        """;

    private const string DeleteAffiliations = "DELETE FROM muc_affiliations WHERE room = $room";

    private const string InsertAffiliation = "INSERT INTO muc_affiliations (room, jid, affiliation) VALUES ($room, $jid, $affiliation)";

    private const string DeleteRoom = "DELETE FROM muc_rooms WHERE room = $room";

    public Task<IReadOnlyList<StoredRoom>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        readers.ReadAsync<int, IReadOnlyList<StoredRoom>>(
            static (s, _) =>
            {
                var affiliations = new Dictionary<string, Dictionary<Jid, MucAffiliation>>(StringComparer.Ordinal);
                using (var reader = s.Command(SelectAffiliations).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        if (!affiliations.TryGetValue(reader.GetString(0), out var list))
                        {
                            affiliations[reader.GetString(0)] = list = [];
                        }

                        list[Jid.Parse(reader.GetString(1))] = (MucAffiliation)reader.GetInt32(2);
                    }
                }

                var rooms = new List<StoredRoom>();
                using (var reader = s.Command(SelectRooms).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var room = reader.GetString(0);
                        rooms.Add(new StoredRoom(
                            Jid.Parse(room),
                            JsonSerializer.Deserialize<RoomConfiguration>(reader.GetString(1)) ?? new RoomConfiguration(),
                            reader.IsDBNull(2) ? null : reader.GetString(2),
                            reader.IsDBNull(3) ? null : reader.GetString(3),
                            reader.GetString(4),
                            affiliations.TryGetValue(room, out var list) ? list : new Dictionary<Jid, MucAffiliation>()));
                    }
                }

                return rooms;
            },
            0,
            cancellationToken);

    public Task SaveAsync(StoredRoom room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return writer.WriteAsync(
            static (s, room) =>
            {
                var jid = room.Room.Bare.ToString();
                s.Command(UpsertRoom)
                    .Bind("$room", jid)
                    .Bind("$configuration", JsonSerializer.Serialize(room.Configuration))
                    .Bind("$subject", room.Subject)
                    .Bind("$subject_by", room.SubjectBy)
                    .Bind("$salt", room.Salt)
                    .ExecuteNonQuery();
                s.Command(DeleteAffiliations).Bind("$room", jid).ExecuteNonQuery();
                foreach (var (user, affiliation) in room.Affiliations)
                {
                    s.Command(InsertAffiliation).Bind("$room", jid).Bind("$jid", user.Bare.ToString()).Bind("$affiliation", (int)affiliation).ExecuteNonQuery();
                }

                return 0;
            },
            room,
            cancellationToken);
    }

    public Task DeleteAsync(Jid room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return writer.WriteAsync(
            static (s, room) =>
            {
                s.Command(DeleteAffiliations).Bind("$room", room).ExecuteNonQuery();
                return s.Command(DeleteRoom).Bind("$room", room).ExecuteNonQuery();
            },
            room.Bare.ToString(),
            cancellationToken);
    }
}
