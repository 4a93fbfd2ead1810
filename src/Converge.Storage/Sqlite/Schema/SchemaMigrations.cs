namespace Converge.Storage.Sqlite.Schema;

/// <summary>
/// Every schema change ever made, oldest first. Append only: a released migration is never
/// edited, because databases in the field already ran it.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "accounts, rosters, offline messages, block lists, vCards", """
            CREATE TABLE accounts (
                jid         TEXT NOT NULL PRIMARY KEY,
                msisdn      TEXT UNIQUE,
                email       TEXT,
                cpm         INTEGER NOT NULL,
                roaming_cpm INTEGER NOT NULL
            );

            CREATE TABLE scram_credentials (
                jid        TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
                hash       TEXT NOT NULL,
                salt       BLOB NOT NULL,
                iterations INTEGER NOT NULL,
                stored_key BLOB NOT NULL,
                server_key BLOB NOT NULL,
                PRIMARY KEY (jid, hash)
            );

            -- Appended with every account change so that other processes sharing the file see it.
            CREATE TABLE account_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                jid TEXT NOT NULL
            );

            CREATE TABLE roster_items (
                owner     TEXT NOT NULL,
                contact   TEXT NOT NULL,
                name      TEXT,
                groups    TEXT,
                state     TEXT NOT NULL,
                approved  INTEGER NOT NULL,
                in_roster INTEGER NOT NULL,
                PRIMARY KEY (owner, contact)
            );

            CREATE INDEX roster_items_by_contact ON roster_items (contact);

            CREATE TABLE roster_versions (
                owner   TEXT NOT NULL PRIMARY KEY,
                version INTEGER NOT NULL
            );

            -- AUTOINCREMENT: an id handed to a session is never reused for a later message.
            CREATE TABLE offline_messages (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                owner  TEXT NOT NULL,
                stored INTEGER NOT NULL,
                xml    TEXT NOT NULL
            );

            CREATE INDEX offline_messages_by_owner ON offline_messages (owner, id);

            CREATE TABLE block_list (
                owner TEXT NOT NULL,
                item  TEXT NOT NULL,
                PRIMARY KEY (owner, item)
            );

            CREATE TABLE vcards (
                owner TEXT NOT NULL PRIMARY KEY,
                xml   TEXT NOT NULL
            );
            """),
    ];

    public static int Latest => All[^1].Version;
}
