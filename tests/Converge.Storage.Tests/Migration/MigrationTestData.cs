using Converge.Core.GroupChat;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;

namespace Converge.Storage.Tests.Migration;

/// <summary>A small provider's data in every store, written through the stores as the server would.</summary>
internal static class MigrationTestData
{
    public const string Peter = "+4915112345678";
    public const string Petra = "+4915187654321";

    public static Jid Alice { get; } = Jid.Parse("alice@a.example");
    public static Jid Bob { get; } = Jid.Parse("bob@a.example");
    public static Jid Remote { get; } = Jid.Parse("rita@b.example");

    public static DateTimeOffset Noon { get; } = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    public const int ArchivedPerOwner = 40;

    /// <summary>The de-duplication key of Alice's archived copies: a resend after migrating must still be stored once.</summary>
    public const string OriginKey = "o:origin-1";

    public static Jid Lobby { get; } = Jid.Parse("lobby@conference.a.example");

    public static async Task PopulateAsync(IStores stores)
    {
        foreach (var (jid, seed) in new[] { (Alice, (byte)1), (Bob, (byte)2) })
        {
            Assert.True(await stores.Accounts.CreateAsync(new Account(
                jid,
                [new ScramCredential("SHA-1", [seed, 1], 4096, [seed, 2], [seed, 3]), new ScramCredential("SHA-256", [seed, 4], 8192, [seed, 5], [seed, 6])],
                seed == 1 ? "+4915100000001" : null,
                seed == 1 ? "alice@mail.example" : null,
                CpmEnabled: seed == 1,
                RoamingCpm: false,
                Locked: seed == 2)));
        }

        // A removed account leaves a change behind (and nothing else).
        await stores.Accounts.CreateAsync(new Account(Jid.Parse("gone@a.example"), []));
        await stores.Accounts.RemoveAsync(Jid.Parse("gone@a.example"));

        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Bob, "Bob", ["Friends", "Work"], SubscriptionState.Both, Approved: true));
        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Remote, null, [], SubscriptionState.NonePendingOut));
        await stores.Rosters.SetItemAsync(Bob, new RosterItem(Alice, "Alice", [], SubscriptionState.Both));
        await stores.Rosters.RemoveItemAsync(Alice, Remote);
        await stores.Rosters.SetItemAsync(Alice, new RosterItem(Remote, "Rita", ["Ü-Gruppe"], SubscriptionState.ToPendingIn, InRoster: false));

        await stores.Offline.StoreAsync(Bob, Noon, "<message xmlns='jabber:client' id='o1'><body>first</body></message>");
        var second = await stores.Offline.StoreAsync(Bob, Noon.AddSeconds(1), "<message xmlns='jabber:client' id='o2'><body>gone</body></message>");
        await stores.Offline.StoreAsync(Bob, Noon.AddSeconds(2), "<message xmlns='jabber:client' id='o3'><body>third</body></message>");
        await stores.Offline.RemoveAsync(Bob, [second]);

        // The order of blocking is kept, and it is not alphabetical.
        await stores.BlockLists.AddAsync(Alice, [Jid.Parse("zed@spam.example"), Jid.Parse("amy@spam.example")]);
        await stores.BlockLists.AddAsync(Alice, [Jid.Parse("spam.example")]);
        await stores.VCards.SetAsync(Alice, "<vCard xmlns='vcard-temp'><FN>Alice Ä.</FN></vCard>");
        await stores.NumberAliases.AddAsync(Alice, Remote);

        await stores.Archive.SetPreferencesAsync(Alice, new ArchivePreferences("roster", [Remote, Bob], [Jid.Parse("zed@spam.example")]));
        for (var n = 0; n < ArchivedPerOwner; n++)
        {
            await stores.Archive.AppendAsync([
                new ArchiveEntry(Alice, Bob, Noon.AddSeconds(n), true, n % 5 == 0 ? "t-" + n : null, $"<message xmlns='jabber:client' id='a{n}'><body>{n}</body></message>", n == 0 ? OriginKey : null),
                new ArchiveEntry(Bob, Alice, Noon.AddSeconds(n), false, null, $"<message xmlns='jabber:client' id='a{n}'><body>{n}</body></message>"),
            ]);
        }

        // The newest archived message is deleted: its id must never be handed out again, in any provider.
        // (Stamped before all others, so that deleting "older than noon" removes exactly this one.)
        await stores.Archive.AppendAsync(new ArchiveEntry(Bob, Remote, Noon.AddHours(-1), true, null, "<message xmlns='jabber:client'><body>retracted</body></message>"));
        Assert.Equal(1, await stores.Archive.DeleteAsync(Bob, Noon));

        var sms = await stores.Outbox.EnqueueAsync("alice>+4915112345678", OutboxChannel.Sms, "{\"text\":\"hi\"}", Noon);
        await stores.Outbox.EnqueueAsync("alice>bob@mail.example", OutboxChannel.Email, "{\"subject\":\"re\"}", Noon.AddSeconds(1));
        await stores.Outbox.RescheduleAsync(sms, 2, Noon.AddMinutes(5));

        await stores.ThreadMap.BindAsync(new ThreadBinding("+4930100000001", Peter, Alice, "t-sms", Noon));
        await stores.ThreadMap.BindAsync(new ThreadBinding("+4930100000002", Peter, Bob, "t-sms-2", Noon.AddSeconds(1)));
        await stores.ThreadMap.TouchAsync(new ConversationActivity(Alice, Petra, "t-petra", Noon.AddSeconds(3)));
        await stores.ThreadMap.BindMessageIdAsync(new MessageIdBinding("<m1@mail.example>", Alice, "bob@mail.example", "t-mail", "Lunch"));
        await stores.ThreadMap.SetEmailThreadAsync(new EmailThread(Alice, "bob@mail.example", "t-mail", "Lunch", "<m2@mail.example>"));

        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:xmpp:avatar:metadata", "presence", true, 2, []));
        await stores.Pep.SaveNodeAsync(Alice, new PepNodeRow("urn:xmpp:nick", "open", false, 1, []));
        await stores.Pep.SaveItemAsync(Alice, "urn:xmpp:avatar:metadata", new PepItemRow("av2", 20, "<metadata xmlns='urn:xmpp:avatar:metadata'><info id='av2'/></metadata>"), 2);
        await stores.Pep.SaveItemAsync(Alice, "urn:xmpp:avatar:metadata", new PepItemRow("av1", 10, "<metadata xmlns='urn:xmpp:avatar:metadata'/>"), 2);
        await stores.PrivateXml.SetAsync(Alice, "storage", "storage:bookmarks", "<storage xmlns='storage:bookmarks'><conference jid='lobby@conference.a.example'/></storage>");

        await stores.Rooms.SaveAsync(new StoredRoom(
            Lobby,
            new RoomConfiguration(Name: "Lobby", Persistent: true, MembersOnly: true),
            "Plans",
            "alice",
            "c2FsdHNhbHQ=",
            new Dictionary<Jid, MucAffiliation> { [Alice] = MucAffiliation.Owner, [Bob] = MucAffiliation.Member }));

        await stores.Uploads.AddAsync(new UploadRecord("slot-1", Alice.ToString(), "cat.jpg", 1234, "image/jpeg", Noon, null));
        Assert.True(await stores.Uploads.MarkUploadedAsync("slot-1", Noon.AddSeconds(5)));
        await stores.Uploads.AddAsync(new UploadRecord("slot-2", Bob.ToString(), "notes.txt", 99, "text/plain", Noon.AddSeconds(1), null));
    }
}
