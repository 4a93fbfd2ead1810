#!/usr/bin/python3
"""WAL frames and bytes per archived row, before and after an archive schema change.

    archive_pages.py [--owners 1000] [--prefill 100000] [--rows 20000] [--batches 2,20,500] [--page-sizes 4096]

Counts that do not depend on the machine's load: it builds the archive tables of Converge's SQLite
schema (the indexes as they were before migration 16, and after it) in a temporary file, fills them
with --prefill rows spread over --owners owners (so index pages are spread as on a live server), then
appends --rows more in grouped commits of each --batches size, as the writer does (one transaction
per batch, a savepoint per row), with no checkpoint, and reads how far the write-ahead log grew.
Each message is two rows (the sender's copy and the recipient's), both with an origin key, as
ArchiveModule queues them. Uses Python's own SQLite: page counts follow from the schema, not the
SQLite version.
"""
import argparse
import os
import random
import sqlite3
import tempfile

TABLE = """
CREATE TABLE archive_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, with_jid TEXT NOT NULL, stamp INTEGER NOT NULL,
    outgoing INTEGER NOT NULL, thread TEXT, xml TEXT NOT NULL, origin_key TEXT);
CREATE TABLE archive_owners (owner TEXT NOT NULL PRIMARY KEY, messages INTEGER NOT NULL, newest_stamp INTEGER,
    stamps_in_order INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER archive_messages_counted AFTER INSERT ON archive_messages
BEGIN
    INSERT INTO archive_owners (owner, messages, newest_stamp, stamps_in_order) VALUES (NEW.owner, 1, NEW.stamp, 1)
    ON CONFLICT (owner) DO UPDATE SET
        messages = messages + 1,
        stamps_in_order = stamps_in_order AND (newest_stamp IS NULL OR excluded.newest_stamp >= newest_stamp),
        newest_stamp = MAX(COALESCE(newest_stamp, excluded.newest_stamp), excluded.newest_stamp);
END;
CREATE INDEX archive_messages_by_origin ON archive_messages (owner, origin_key) WHERE origin_key IS NOT NULL;
"""

SCHEMAS = {
    "before (migrations 2, 5, 8)": """
        CREATE INDEX archive_messages_by_owner ON archive_messages (owner, id);
        CREATE INDEX archive_messages_by_with ON archive_messages (owner, with_jid, id);
        CREATE INDEX archive_messages_by_thread ON archive_messages (owner, thread, id) WHERE thread IS NOT NULL;
        CREATE INDEX archive_messages_by_stamp ON archive_messages (owner, stamp);""",
    "after (migration 16)": """
        CREATE INDEX archive_messages_by_with ON archive_messages (owner, with_jid, stamp);
        CREATE INDEX archive_messages_by_thread ON archive_messages (owner, thread, stamp) WHERE thread IS NOT NULL;
        CREATE INDEX archive_messages_by_stamp ON archive_messages (owner, stamp);""",
}

INSERT = """
INSERT INTO archive_messages (id, owner, with_jid, stamp, outgoing, thread, xml, origin_key)
SELECT :id, :owner, :with, :stamp, :outgoing, NULL, :xml, :origin
WHERE :origin IS NULL OR NOT EXISTS (
    SELECT 1 FROM archive_messages
    WHERE owner = :owner AND origin_key = :origin AND with_jid = :with AND outgoing = :outgoing AND stamp >= :since)
"""

XML = ("<message xmlns='jabber:client' from='user{a}@bench.test/r' to='user{b}@bench.test' type='chat' id='m{n}'>"
       "<body>" + "x" * 100 + "</body><origin-id xmlns='urn:xmpp:sid:0' id='o{n}'/></message>")


class Archive:
    def __init__(self, path, schema, page_size, owners):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute(f"PRAGMA page_size = {page_size}")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA wal_autocheckpoint = 0")
        self.db.execute("PRAGMA cache_size = -65536")
        self.db.executescript(TABLE + schema)
        self.wal = path + "-wal"
        self.owners = owners
        self.id = 0
        self.stamp = 1_700_000_000_000
        self.rng = random.Random(17)

    def message_rows(self):
        """The two rows of one chat message between a random pair (user 2k and 2k+1)."""
        self.id += 2
        self.stamp += 1
        k = self.rng.randrange(self.owners // 2)
        a, b = (2 * k, 2 * k + 1) if self.rng.random() < 0.5 else (2 * k + 1, 2 * k)
        xml = XML.format(a=a, b=b, n=self.id)
        for offset, (owner, peer, outgoing) in enumerate(((a, b, 1), (b, a, 0))):
            yield dict(id=self.id - 1 + offset, owner=f"user{owner}@bench.test", with_=f"user{peer}@bench.test",
                       stamp=self.stamp, outgoing=outgoing, xml=xml, origin=f"o:o{self.id}", since=0)

    def append(self, rows, batch):
        done = 0
        while done < rows:
            self.db.execute("BEGIN IMMEDIATE")
            for _ in range(batch // 2):
                for row in self.message_rows():
                    row["with"] = row.pop("with_")
                    self.db.execute("SAVEPOINT op")
                    self.db.execute(INSERT, row)
                    self.db.execute("RELEASE op")
                    done += 1
            self.db.execute("COMMIT")

    def checkpoint(self):
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def wal_bytes(self):
        return os.path.getsize(self.wal) if os.path.exists(self.wal) else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--owners", type=int, default=1000)
    p.add_argument("--prefill", type=int, default=100_000)
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--batches", default="2,20,500")
    p.add_argument("--page-sizes", default="4096")
    args = p.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    print(f"owners {args.owners}, prefilled rows {args.prefill:,}, measured rows {args.rows:,} per batch size")
    print("| schema | page size | rows per commit | WAL frames per row | WAL KiB per row | frames per commit |")
    print("|---|---:|---:|---:|---:|---:|")
    for page_size in (int(s) for s in args.page_sizes.split(",")):
        for name, schema in SCHEMAS.items():
            with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as work:
                archive = Archive(os.path.join(work, "a.db"), schema, page_size, args.owners)
                archive.append(args.prefill, 1000)
                for batch in batches:
                    archive.checkpoint()
                    archive.append(args.rows, batch)
                    wal = archive.wal_bytes() - 32
                    frames = wal / (page_size + 24)
                    commits = args.rows / batch
                    print(f"| {name} | {page_size} | {batch} | {frames / args.rows:.2f} | {wal / 1024 / args.rows:.2f} | {frames / commits:.1f} |")


if __name__ == "__main__":
    main()
