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
        new(2, "message archive (XEP-0313) and archiving preferences", """
            -- AUTOINCREMENT: an archive id is also the XEP-0359 stanza-id clients keep; it is never
            -- reused after a delete. stamp is Unix milliseconds; with_jid is the bare JID.
            CREATE TABLE archive_messages (
                id       INTEGER PRIMARY KEY AUTOINCREMENT,
                owner    TEXT NOT NULL,
                with_jid TEXT NOT NULL,
                stamp    INTEGER NOT NULL,
                outgoing INTEGER NOT NULL,
                thread   TEXT,
                xml      TEXT NOT NULL
            );

            -- Each paging query walks one of these in id order from its anchor, so a page costs the same
            -- however large the archive is; the stamp index turns start/end into ids, and serves retention.
            CREATE INDEX archive_messages_by_owner ON archive_messages (owner, id);
            CREATE INDEX archive_messages_by_with ON archive_messages (owner, with_jid, id);
            CREATE INDEX archive_messages_by_thread ON archive_messages (owner, thread, id);
            CREATE INDEX archive_messages_by_stamp ON archive_messages (owner, stamp);

            -- One row per owner with an archive, kept by triggers so that it stays right whoever deletes
            -- rows (the store, account removal, an operator's shell). messages answers the unfiltered
            -- RSM count without scanning the archive. While stamps_in_order holds (every append's stamp
            -- >= newest_stamp, the normal case) start/end become id bounds found through the stamp
            -- index, and time-filtered pages walk the id indexes too. An archive emptied is in order again.
            CREATE TABLE archive_owners (
                owner           TEXT NOT NULL PRIMARY KEY,
                messages        INTEGER NOT NULL,
                newest_stamp    INTEGER,
                stamps_in_order INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TRIGGER archive_messages_counted AFTER INSERT ON archive_messages
            BEGIN
                INSERT INTO archive_owners (owner, messages, newest_stamp, stamps_in_order) VALUES (NEW.owner, 1, NEW.stamp, 1)
                ON CONFLICT (owner) DO UPDATE SET
                    messages = messages + 1,
                    stamps_in_order = stamps_in_order AND (newest_stamp IS NULL OR excluded.newest_stamp >= newest_stamp),
                    newest_stamp = MAX(COALESCE(newest_stamp, excluded.newest_stamp), excluded.newest_stamp);
            END;

            CREATE TRIGGER archive_messages_uncounted AFTER DELETE ON archive_messages
            BEGIN
                UPDATE archive_owners SET
                    messages = messages - 1,
                    stamps_in_order = CASE WHEN messages = 1 THEN 1 ELSE stamps_in_order END,
                    newest_stamp = CASE WHEN messages = 1 THEN NULL ELSE newest_stamp END
                WHERE owner = OLD.owner;
            END;

            CREATE TABLE archive_preferences (
                owner        TEXT NOT NULL PRIMARY KEY,
                default_mode TEXT NOT NULL
            );

            -- rule is 'always' or 'never'; rowid keeps each list in the order it was set.
            CREATE TABLE archive_preference_jids (
                owner TEXT NOT NULL REFERENCES archive_preferences (owner) ON DELETE CASCADE,
                rule  TEXT NOT NULL,
                jid   TEXT NOT NULL,
                PRIMARY KEY (owner, rule, jid)
            );
            """),
        new(3, "contacts that address a subscriber by number", """
            CREATE TABLE number_aliases (
                owner   TEXT NOT NULL,
                contact TEXT NOT NULL,
                PRIMARY KEY (owner, contact)
            );
            """),
        new(4, "interworking: ordered outbox, thread map", """
            -- AUTOINCREMENT: an id is never reused after the newest item left, so id order stays the
            -- order of sending across restarts. Times are Unix milliseconds.
            CREATE TABLE outbox (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                lane         TEXT NOT NULL,
                channel      TEXT NOT NULL,
                payload      TEXT NOT NULL,
                attempts     INTEGER NOT NULL,
                next_attempt INTEGER NOT NULL,
                created      INTEGER NOT NULL
            );

            -- A pool number bound to (CPM user, thread) for one correspondent. cpm_user is a bare JID.
            CREATE TABLE thread_bindings (
                pool_number    TEXT NOT NULL,
                legacy_address TEXT NOT NULL,
                cpm_user       TEXT NOT NULL,
                thread         TEXT NOT NULL,
                last_used      INTEGER NOT NULL,
                PRIMARY KEY (pool_number, legacy_address)
            ) WITHOUT ROWID;

            CREATE INDEX thread_bindings_by_legacy ON thread_bindings (legacy_address);
            CREATE INDEX thread_bindings_by_user ON thread_bindings (cpm_user);

            -- The latest thread per (CPM user, correspondent); the second index finds the most recent
            -- user of a correspondent without a sort.
            CREATE TABLE conversation_activity (
                cpm_user       TEXT NOT NULL,
                legacy_address TEXT NOT NULL,
                thread         TEXT NOT NULL,
                last_used      INTEGER NOT NULL,
                PRIMARY KEY (cpm_user, legacy_address)
            ) WITHOUT ROWID;

            CREATE INDEX conversation_activity_by_legacy ON conversation_activity (legacy_address, last_used);

            -- Message-IDs of emails sent for a thread, so that In-Reply-To / References find it.
            CREATE TABLE email_message_ids (
                message_id     TEXT NOT NULL PRIMARY KEY,
                cpm_user       TEXT NOT NULL,
                legacy_address TEXT NOT NULL,
                thread         TEXT NOT NULL,
                subject        TEXT
            );

            CREATE INDEX email_message_ids_by_user ON email_message_ids (cpm_user);
            """),
        new(5, "archive thread index only for threaded messages", """
            -- Every archived row dirties one page per index it is in; most chat messages carry no
            -- thread, and 'thread = $thread' implies 'thread IS NOT NULL', so the partial index still
            -- serves the thread filter while unthreaded rows skip it.
            DROP INDEX archive_messages_by_thread;
            CREATE INDEX archive_messages_by_thread ON archive_messages (owner, thread, id) WHERE thread IS NOT NULL;
            """),
        new(6, "outbox lane heads without reading every waiting item", """
            -- The dispatcher asks for the oldest item of each lane after every send; with thousands
            -- waiting, reading them all (payloads included) each time was most of an SMS's cost.
            CREATE INDEX outbox_lane_heads ON outbox (channel, lane, id);
            """),
        new(7, "email threads' subject and latest Message-ID in a table of their own", """
            -- Until now these rode in email_message_ids under a synthetic message_id
            -- 'latest:<thread>:<correspondent>' whose subject held the subject, a newline and the
            -- latest id. An outbound mail answering such a row kept that whole column as its own
            -- subject, so the text before the first newline is the subject and the text after the
            -- last one the latest id; the same cut cleans the subjects of sent mails' ids.
            CREATE TABLE email_threads (
                cpm_user          TEXT NOT NULL,
                legacy_address    TEXT NOT NULL,
                thread            TEXT NOT NULL,
                subject           TEXT NOT NULL,
                latest_message_id TEXT NOT NULL,
                PRIMARY KEY (cpm_user, legacy_address, thread)
            ) WITHOUT ROWID;

            CREATE INDEX email_threads_by_user ON email_threads (cpm_user);

            INSERT INTO email_threads (cpm_user, legacy_address, thread, subject, latest_message_id)
            SELECT cpm_user, legacy_address, thread,
                   substr(subject, 1, instr(subject, char(10)) - 1),
                   substr(subject, length(rtrim(subject, replace(subject, char(10), ''))) + 1)
            FROM email_message_ids
            WHERE message_id = 'latest:' || thread || ':' || legacy_address AND instr(subject, char(10)) > 0
            ON CONFLICT (cpm_user, legacy_address, thread) DO NOTHING;

            DELETE FROM email_message_ids WHERE message_id = 'latest:' || thread || ':' || legacy_address;

            UPDATE email_message_ids SET subject = substr(subject, 1, instr(subject, char(10)) - 1)
            WHERE instr(subject, char(10)) > 0;
            """),
        new(8, "archive rows remember the sender's origin-id, so a message sent again is stored once", """
            -- A message is delivered before its archive row commits and acknowledged after; a client
            -- whose acknowledgement a crash swallowed sends it again with the same origin-id (XEP-0359).
            -- Partial: rows without a key (most server-made copies) cost no index page.
            ALTER TABLE archive_messages ADD COLUMN origin_key TEXT;
            CREATE INDEX archive_messages_by_origin ON archive_messages (owner, origin_key) WHERE origin_key IS NOT NULL;
            """),
        new(9, "accounts that may not log in", """
            -- converge user set --lock: the account stays (roster, archive, offline messages) but
            -- no one can log in to it until it is unlocked.
            ALTER TABLE accounts ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
            """),
        new(10, "persistent group-chat rooms (XEP-0045) and their affiliations", """
            -- Occupants are not stored (clients join again after a restart); the room's archive
            -- lives in archive_messages with the room's JID as owner.
            CREATE TABLE muc_rooms (
                room          TEXT NOT NULL PRIMARY KEY,
                configuration TEXT NOT NULL,
                subject       TEXT,
                subject_by    TEXT,
                salt          TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE muc_affiliations (
                room        TEXT NOT NULL,
                jid         TEXT NOT NULL,
                affiliation INTEGER NOT NULL,
                PRIMARY KEY (room, jid)
            ) WITHOUT ROWID;
            """),
        new(11, "PEP nodes and items (XEP-0163), private XML storage (XEP-0049)", """
            -- One row per node of an account with its configuration; items of nodes that persist
            -- them, ordered by a per-account publication number so the oldest are trimmed first.
            CREATE TABLE pep_nodes (
                owner         TEXT NOT NULL,
                node          TEXT NOT NULL,
                access_model  TEXT NOT NULL,
                persist_items INTEGER NOT NULL,
                max_items     INTEGER NOT NULL,
                PRIMARY KEY (owner, node)
            ) WITHOUT ROWID;

            CREATE TABLE pep_items (
                owner     TEXT NOT NULL,
                node      TEXT NOT NULL,
                item_id   TEXT NOT NULL,
                published INTEGER NOT NULL,
                payload   TEXT NOT NULL,
                PRIMARY KEY (owner, node, item_id)
            ) WITHOUT ROWID;

            CREATE INDEX pep_items_by_age ON pep_items (owner, node, published);

            CREATE TABLE private_xml (
                owner TEXT NOT NULL,
                name  TEXT NOT NULL,
                ns    TEXT NOT NULL,
                xml   TEXT NOT NULL,
                PRIMARY KEY (owner, name, ns)
            ) WITHOUT ROWID;
            """),
        new(12, "HTTP upload slots and files (XEP-0363)", """
            -- One row per slot granted; uploaded_at is set once, when its file has been PUT. A user's
            -- quota is the sum of what they hold, so it survives restarts, and expiry finds old rows.
            CREATE TABLE upload_slots (
                slot         TEXT NOT NULL PRIMARY KEY,
                owner        TEXT NOT NULL,
                file_name    TEXT NOT NULL,
                size         INTEGER NOT NULL,
                content_type TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                uploaded_at  INTEGER
            ) WITHOUT ROWID;

            CREATE INDEX upload_slots_by_owner ON upload_slots (owner);
            CREATE INDEX upload_slots_by_age ON upload_slots (created_at);
            """),
        new(13, "archive bytes per owner (quota), spam reports (XEP-0377), the server-wide domain blocklist", """
            -- The archive quota reads an owner's size in one probe: the triggers that count rows now
            -- count UTF-8 bytes too, whoever inserts or deletes. Existing archives are summed once here.
            ALTER TABLE archive_owners ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
            UPDATE archive_owners SET bytes = COALESCE(
                (SELECT SUM(length(CAST(m.xml AS BLOB))) FROM archive_messages m WHERE m.owner = archive_owners.owner), 0);

            DROP TRIGGER archive_messages_counted;
            CREATE TRIGGER archive_messages_counted AFTER INSERT ON archive_messages
            BEGIN
                INSERT INTO archive_owners (owner, messages, newest_stamp, stamps_in_order, bytes)
                VALUES (NEW.owner, 1, NEW.stamp, 1, length(CAST(NEW.xml AS BLOB)))
                ON CONFLICT (owner) DO UPDATE SET
                    messages = messages + 1,
                    stamps_in_order = stamps_in_order AND (newest_stamp IS NULL OR excluded.newest_stamp >= newest_stamp),
                    newest_stamp = MAX(COALESCE(newest_stamp, excluded.newest_stamp), excluded.newest_stamp),
                    bytes = bytes + excluded.bytes;
            END;

            DROP TRIGGER archive_messages_uncounted;
            CREATE TRIGGER archive_messages_uncounted AFTER DELETE ON archive_messages
            BEGIN
                UPDATE archive_owners SET
                    messages = messages - 1,
                    stamps_in_order = CASE WHEN messages = 1 THEN 1 ELSE stamps_in_order END,
                    newest_stamp = CASE WHEN messages = 1 THEN NULL ELSE newest_stamp END,
                    bytes = CASE WHEN messages = 1 THEN 0 ELSE bytes - length(CAST(OLD.xml AS BLOB)) END
                WHERE owner = OLD.owner;
            END;

            CREATE TABLE spam_reports (
                id       INTEGER PRIMARY KEY AUTOINCREMENT,
                reporter TEXT NOT NULL,
                reported TEXT NOT NULL,
                reason   TEXT NOT NULL,
                text     TEXT,
                at       INTEGER NOT NULL
            );

            CREATE TABLE blocked_domains (
                domain   TEXT NOT NULL PRIMARY KEY,
                added_at INTEGER NOT NULL
            );
            """),
        new(14, "interworking state that survives restarts: session invitations, SMS parts in flight, unmatched delivery reports", """
            -- Sessions adapted to SMS or mail (XEP-0155): pending invitations either way (with their
            -- time-out) and sessions in progress, per channel, so a restart forgets none of them.
            CREATE TABLE interworking_sessions (
                channel        TEXT NOT NULL,
                cpm_user       TEXT NOT NULL,
                legacy_address TEXT NOT NULL,
                state          INTEGER NOT NULL,
                thread         TEXT NOT NULL,
                expires        INTEGER,
                legacy_jid     TEXT,
                PRIMARY KEY (channel, cpm_user, legacy_address, state)
            ) WITHOUT ROWID;

            -- One row per SMS part, written before its submit_sm (message_id NULL: being submitted)
            -- and kept for Sms.ReportTracking, reported or not: a receipt after a restart (or sent again) still
            -- finds its part, and a part whose response a crash lost is not submitted blindly again.
            CREATE TABLE sms_parts (
                outbox_id   INTEGER NOT NULL,
                part        INTEGER NOT NULL,
                parts       INTEGER NOT NULL,
                reference   INTEGER NOT NULL,
                message_id  TEXT,
                source      TEXT NOT NULL,
                destination TEXT NOT NULL,
                notify      TEXT,
                delivered   INTEGER NOT NULL,
                at          INTEGER NOT NULL,
                PRIMARY KEY (outbox_id, part)
            ) WITHOUT ROWID;

            CREATE INDEX sms_parts_by_message_id ON sms_parts (message_id) WHERE message_id IS NOT NULL;
            CREATE INDEX sms_parts_by_age ON sms_parts (at);

            -- Delivery reports whose id named no part (the response of its submit_sm was lost).
            CREATE TABLE sms_unmatched_receipts (
                message_id      TEXT NOT NULL PRIMARY KEY,
                handset         TEXT NOT NULL,
                provider_number TEXT NOT NULL,
                state           INTEGER NOT NULL,
                received_at     INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE INDEX sms_unmatched_receipts_by_pair ON sms_unmatched_receipts (handset, provider_number, received_at);
            """),
        new(15, "push registrations (XEP-0357)", """
            -- One row per client registration: the app server's JID and node, the resource that
            -- enabled it and the publish-options form (serialized XML, '' when none).
            CREATE TABLE push_registrations (
                owner           TEXT NOT NULL,
                service         TEXT NOT NULL,
                node            TEXT NOT NULL,
                resource        TEXT NOT NULL,
                publish_options TEXT NOT NULL,
                PRIMARY KEY (owner, service, node)
            ) WITHOUT ROWID;
            """),
        new(16, "archive pages walk (owner, stamp, id): one owner index fewer per archived row", """
            -- Every archived row dirtied one page of each index it is in. An index on (owner, stamp)
            -- ends in the rowid, so it is (owner, stamp, id): while an owner's stamps grow with the ids
            -- (archive_owners.stamps_in_order, the normal case) its order is the archive's order, and
            -- pages, time ranges, counts and retention all walk it. (owner, id) only duplicated it.
            -- The with and thread indexes end in the stamp for the same walk. Rebuilding them reads
            -- the archive once, at the upgrade.
            DROP INDEX archive_messages_by_owner;
            DROP INDEX archive_messages_by_with;
            CREATE INDEX archive_messages_by_with ON archive_messages (owner, with_jid, stamp);
            DROP INDEX archive_messages_by_thread;
            CREATE INDEX archive_messages_by_thread ON archive_messages (owner, thread, stamp) WHERE thread IS NOT NULL;
            """),
        new(17, "PEP node affiliations (XEP-0060 §8.9: member, publisher, outcast)", """
            -- The JIDs (bare) an account granted or refused access to one of its PEP nodes; the
            -- owner's own affiliation is implicit. Deleted with the node.
            CREATE TABLE pep_affiliations (
                owner       TEXT NOT NULL,
                node        TEXT NOT NULL,
                jid         TEXT NOT NULL,
                affiliation TEXT NOT NULL,
                PRIMARY KEY (owner, node, jid)
            ) WITHOUT ROWID;
            """),
    ];

    public static int Latest => All[^1].Version;
}
