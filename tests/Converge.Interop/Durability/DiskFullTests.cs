using System.Diagnostics;
using System.Text.Json.Nodes;
using Converge.Interop.Sms;
using Converge.Interop.Support;

namespace Converge.Interop.Durability;

/// <summary>
/// Issue 15, item 4, disk full: the data directory lives on a small tmpfs of its own (mounted by the
/// test; the tests run as root). Filled to the last byte, the server refuses Alice's message with
/// resource-constraint and keeps her session; nothing of it reaches Bob or the archive; reads (the
/// archive, presence) go on; once the filler is removed the server takes messages again by itself.
/// Every message the server did not refuse is in both archives.
/// </summary>
public sealed class DiskFullTests
{
    private static readonly Subscriber Alice = new("alice");
    private static readonly Subscriber Bob = new("bob");

    [Fact]
    public async Task A_full_disk_refuses_messages_with_resource_constraint_keeps_serving_reads_and_recovers_when_space_returns()
    {
        var mountPoint = Directory.CreateTempSubdirectory("converge-tmpfs-").FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", mountPoint);
        try
        {
            await using var server = await new ConvergeServer
            {
                Users = ["alice", "bob"],
                ExtraConfig = new JsonObject
                {
                    ["DataDirectory"] = Path.Combine(mountPoint, "data"),
                    // A small disk: the log is copied back often, and the floor is small enough for the test to reach.
                    ["Storage"] = new JsonObject { ["Sqlite"] = new JsonObject { ["CheckpointPages"] = 64, ["MinFreeBytes"] = 256 * 1024 } },
                },
            }.StartAsync();
            string Context() => $"\n--- server log:\n{server.Log}";
            await using var alice = await CpmClient.StartAsync(server.ClientPort, Alice, Context);
            await using var bob = await CpmClient.StartAsync(server.ClientPort, Bob, Context);

            await alice.SendAsync(Bob.Jid, "Before the disk filled", id: "before");
            await bob.MessageAsync(m => m.Body == "Before the disk filled", "the message before the disk filled");

            // Delivered before stored: a round trip makes sure its archive rows are committed before the disk fills.
            await alice.SyncAsync();

            var filler = Path.Combine(mountPoint, "filler");
            FillToTheLastByte(filler);
            await server.WaitForLogLineAsync(l => l.Contains("Storage full", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "'Storage full'");

            await alice.SendAsync(Bob.Jid, "While the disk is full", id: "refused");
            var error = await alice.MessageAsync(m => m.Type == "error" && m.Id == "refused", "the refusal of the message sent while the disk is full");
            Assert.Equal("resource-constraint", error.Error?.Condition);
            Assert.Equal("wait", error.Error?.Type);

            // Reads and presence go on; the refused message is nowhere.
            Assert.Equal(["Before the disk filled"], (await alice.ArchiveAsync(Bob.Jid)).Select(m => m.Body));
            await bob.SendPresenceAsync(to: Alice.Jid, status: "still here");
            await alice.PresenceAsync(p => p.From.StartsWith(Bob.Jid, StringComparison.Ordinal) && p.Status == "still here", "Bob's presence while the disk is full");
            Assert.DoesNotContain(bob.Received, m => m.Body == "While the disk is full");

            File.Delete(filler);
            await server.WaitForLogLineAsync(l => l.Contains("Storage has room again", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "'Storage has room again'");

            await alice.SendAsync(Bob.Jid, "After space returned", id: "after");
            await bob.MessageAsync(m => m.Body == "After space returned", "the message after space returned");
            await alice.SyncAsync();

            Assert.Equal(0, alice.Disconnections);
            Assert.Equal(["Before the disk filled", "After space returned"], bob.Received.Where(m => m.Body is not null && m.Type != "error").Select(m => m.Body));
            Assert.Equal(["Before the disk filled", "After space returned"], (await alice.ArchiveAsync(Bob.Jid)).Select(m => m.Body));
            Assert.Equal(["Before the disk filled", "After space returned"], (await bob.ArchiveAsync(Alice.Jid)).Select(m => m.Body));
        }
        finally
        {
            await RunAsync("umount", "-l", mountPoint);
            Directory.Delete(mountPoint, recursive: true);
        }
    }

    /// <summary>Writes zeros until the file system says ENOSPC.</summary>
    internal static void FillToTheLastByte(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        // What is left is less than one chunk: fill that too, a byte at a time would be slow, so halve.
        for (var size = chunk.Length / 2; size > 0; size /= 2)
        {
            try
            {
                file.Write(chunk.AsSpan(0, size));
            }
            catch (IOException)
            {
            }
        }
    }

    internal static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr}");
    }
}
