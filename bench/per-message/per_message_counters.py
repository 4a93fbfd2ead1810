#!/usr/bin/env python3
"""Per-message counts from a dotnet-counters CSV of a Converge under the throughput scenario.

Sums the one-second samples in which messages were routed (at least 200) and nobody logged in (logins
do TLS and SCRAM work that is not a message's), and divides each runtime counter by the messages
routed (converge.stanzas.routed, kind=message) in the same seconds. --seconds prints every sample.
"""
import collections
import csv
import sys


def value(sample, prefix):
    return sum(v for name, v in sample.items() if name.startswith(prefix))


def main(path, each):
    samples = collections.defaultdict(dict)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            try:
                samples[row["Timestamp"]][row["Counter Name"]] = float(row["Mean/Increment"])
            except (ValueError, KeyError):
                continue
    total = collections.Counter()
    seconds = 0
    for stamp in sorted(samples):
        s = samples[stamp]
        messages = value(s, "converge.stanzas.routed ({stanza} / 1 sec)[kind=message")
        if messages < 200 or value(s, "converge.logins") > 0:
            continue
        seconds += 1
        row = {
            "messages": messages,
            "work_items": value(s, "dotnet.thread_pool.work_item.count"),
            "allocated": value(s, "dotnet.gc.heap.total_allocated"),
            "contentions": value(s, "dotnet.monitor.lock_contentions"),
            "gen0": value(s, "dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]"),
            "cpu": value(s, "dotnet.process.cpu.time"),
            "pause": value(s, "dotnet.gc.pause.time"),
        }
        total.update(row)
        if each:
            print(f"{stamp} {messages:7.0f} msg, {row['work_items'] / messages:5.2f} work items/msg, "
                  f"{row['allocated'] / messages:6.0f} B/msg, {row['cpu'] / messages * 1e6:6.1f} µs CPU/msg (load-dependent)")
    m = total["messages"]
    if m == 0:
        print("no second with messages routed and no logins")
        return 1
    print(f"{seconds} s, {m:.0f} messages: {total['work_items'] / m:.2f} thread-pool work items, "
          f"{total['allocated'] / m:.0f} bytes allocated, {total['contentions'] / m:.3f} lock contentions, "
          f"{total['gen0'] / m * 1e4:.2f} gen0 GCs per 10,000, {total['pause'] / m * 1e6:.2f} µs GC pause; {total['cpu'] / m * 1e6:.1f} µs CPU (load-dependent) per message")
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--seconds"]
    sys.exit(main(args[0], "--seconds" in sys.argv[1:]))
