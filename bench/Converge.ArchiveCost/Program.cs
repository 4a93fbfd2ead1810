using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Storage.Sqlite;

// Bytes allocated by the whole process per archived row, staged through IArchiveStore.Stage as
// ArchiveModule does (two rows per chat message, an origin key each) in bursts that the writer commits
// as one batch, after a warm-up. The entries are made before the clock starts: what is counted is the
// store's and the writer's work. Usage: dotnet run -c Release --project bench/Converge.ArchiveCost -- [rows] [burst]
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var burst = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var directory = Directory.CreateTempSubdirectory("converge-archive-cost-");
try
{
    var stores = await SqliteStores.OpenAsync(Path.Combine(directory.FullName, "converge.db"));
    try
    {
        var archive = stores.Archive;
        await StageAsync(archive, Entries(2_000, 0), burst);
        var entries = Entries(rows, 2_000);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        await StageAsync(archive, entries, burst);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        cpu = Environment.CpuUsage.TotalTime - cpu;

        // CPU time of this process only; on a loaded machine it still moves with cache contention, so
        // read it as an indication next to the allocation count, which does not move.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows} rows in bursts of {burst}: {allocated / (double)rows:0} bytes allocated and {cpu.TotalMicroseconds / rows:0.0} µs of process CPU per archived row"));
    }
    finally
    {
        await stores.DisposeAsync();
    }
}
finally
{
    directory.Delete(recursive: true);
}

static ArchiveEntry[] Entries(int count, int first)
{
    var entries = new ArchiveEntry[count];
    var stamp = DateTimeOffset.UtcNow;
    for (var i = 0; i < count; i += 2)
    {
        var n = first + i;
        var a = Jid.Parse($"user{(n / 2) % 1000 * 2}@bench.test");
        var b = Jid.Parse($"user{(n / 2) % 1000 * 2 + 1}@bench.test");
        var xml = $"<message xmlns='jabber:client' from='{a}/r' to='{b}' type='chat' id='m{n}'><body>{new string('x', 100)}</body><origin-id xmlns='urn:xmpp:sid:0' id='o{n}'/></message>";
        entries[i] = new ArchiveEntry(a, b, stamp, true, null, xml, $"o:o{n}");
        if (i + 1 < count)
        {
            entries[i + 1] = new ArchiveEntry(b, a, stamp, false, null, xml, $"o:o{n}");
        }
    }

    return entries;
}

static async Task StageAsync(IArchiveStore archive, ArchiveEntry[] entries, int burst)
{
    var stored = new Task[burst];
    for (var i = 0; i < entries.Length; i += burst)
    {
        var n = Math.Min(burst, entries.Length - i);
        for (var j = 0; j < n; j++)
        {
            stored[j] = archive.Stage(entries[i + j]).Stored;
        }

        for (var j = 0; j < n; j++)
        {
            await stored[j].ConfigureAwait(false);
        }
    }
}
