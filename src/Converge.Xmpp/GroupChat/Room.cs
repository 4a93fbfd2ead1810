using System.Security.Cryptography;
using System.Text;
using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Core.Storage;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// One XEP-0045 room: its configuration, affiliations, occupants, subject and history. A room is
/// only ever touched by its actor (<see cref="RoomActor"/>), one stanza at a time, so it holds no
/// lock; what it does to the world goes through <see cref="IRoomHost"/>. Entry and presence here;
/// messages in Room.Messages.cs; the admin and owner IQs in Room.Admin.cs.
/// </summary>
internal sealed partial class Room
{
    private readonly Dictionary<Jid, MucAffiliation> _affiliations = [];
    private readonly Dictionary<string, Occupant> _byNick = new(StringComparer.Ordinal);
    private readonly Dictionary<Jid, Occupant> _byRealJid = [];
    private readonly IRoomHost _host;
    private readonly GroupChatSettings _limits;
    private readonly byte[] _salt;

    /// <summary>A room that does not exist yet: the first occupant creates it and becomes its owner (§10.1).</summary>
    public Room(Jid jid, IRoomHost host, GroupChatSettings limits)
    {
        Jid = jid.Bare;
        _host = host;
        _limits = limits;
        _salt = RandomNumberGenerator.GetBytes(16);
        Configuration = new RoomConfiguration(MaxUsers: limits.MaxOccupants, HistorySize: limits.HistorySize);
        History = new RoomHistory(Configuration.HistorySize);
        AwaitingCreator = true;
    }

    /// <summary>A persistent room restored from storage: configured and unlocked, without occupants.</summary>
    public Room(StoredRoom stored, IRoomHost host, GroupChatSettings limits)
    {
        Jid = stored.Room.Bare;
        _host = host;
        _limits = limits;
        _salt = Convert.FromBase64String(stored.Salt);
        Configuration = stored.Configuration;
        Subject = stored.Subject;
        SubjectBy = stored.SubjectBy;
        foreach (var (user, affiliation) in stored.Affiliations)
        {
            _affiliations[user.Bare] = affiliation;
        }

        History = new RoomHistory(Math.Min(Configuration.HistorySize, limits.HistorySize));
    }

    public Jid Jid { get; }

    public RoomConfiguration Configuration { get; private set; }

    public string? Subject { get; private set; }

    /// <summary>The nick of whoever set the subject (the room itself when null).</summary>
    public string? SubjectBy { get; private set; }

    public RoomHistory History { get; }

    /// <summary>Created but not configured yet: only its owner may enter (§10.1.1).</summary>
    public bool Locked { get; private set; }

    /// <summary>Nobody has entered the new room yet.</summary>
    public bool AwaitingCreator { get; private set; }

    /// <summary>Set by the room's actor, read by the service from other threads (hence volatile).</summary>
    public bool IsDestroyed
    {
        get => Volatile.Read(ref _destroyed);
        private set => Volatile.Write(ref _destroyed, value);
    }

    private bool _destroyed;

    public int OccupantCount => _byNick.Count;

    public IEnumerable<Occupant> Occupants => _byNick.Values;

    public MucAffiliation AffiliationOf(Jid user) => _affiliations.GetValueOrDefault(user.Bare, MucAffiliation.None);

    public IReadOnlyDictionary<Jid, MucAffiliation> Affiliations => _affiliations;

    public Occupant? OccupantByNick(string nick) => _byNick.GetValueOrDefault(nick);

    public Occupant? OccupantByRealJid(Jid jid) => _byRealJid.GetValueOrDefault(jid);

    /// <summary>
    /// A stable, opaque id per user and room (XEP-0421): an HMAC of the bare JID under the room's salt,
    /// so that it reveals nothing of the JID and stays the same across visits and restarts.
    /// </summary>
    public string OccupantIdOf(Jid realJid) =>
        Convert.ToBase64String(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(realJid.Bare.ToString())).AsSpan(0, 16));

    public StoredRoom ToStored() => new(Jid, Configuration, Subject, SubjectBy, Convert.ToBase64String(_salt), new Dictionary<Jid, MucAffiliation>(_affiliations));

    /// <summary>Runs one stanza addressed to the room or to an occupant of it.</summary>
    public Task HandleAsync(Stanza stanza) => stanza.Kind switch
    {
        StanzaKind.Presence => HandlePresenceAsync(stanza),
        StanzaKind.Message => HandleMessageAsync(stanza),
        _ => HandleIqAsync(stanza),
    };

    private bool MaySeeRealJids(Occupant viewer) => Configuration.NonAnonymous || viewer.Role == MucRole.Moderator;

    private void Refuse(Stanza stanza, string condition, string? text = null)
    {
        if (stanza.Type != "error")
        {
            _host.Send(MucError.ReplyTo(stanza.Element, condition, text));
        }
    }

    private async Task HandlePresenceAsync(Stanza stanza)
    {
        var from = stanza.From!;
        var occupant = OccupantByRealJid(from);
        switch (stanza.Type)
        {
            case "unavailable" or "error":
                // Leaving; an error from an occupant's address means it is gone (§7.2 / RFC 6121 §4.6.3).
                if (occupant is not null)
                {
                    await LeaveSessionAsync(occupant, from, []).ConfigureAwait(false);
                }

                return;
            case null:
                break;
            default:
                return; // probes and subscriptions mean nothing to a room
        }

        var nick = stanza.To!.Resource;
        if (string.IsNullOrWhiteSpace(nick))
        {
            Refuse(stanza, "jid-malformed", "Join a room as room@service/nick.");
            await ForgetIfEmptyAsync().ConfigureAwait(false);
            return;
        }

        if (occupant is null)
        {
            if (_byNick.TryGetValue(nick, out var same) && same.IsSameUser(from))
            {
                await JoinSessionAsync(stanza, same, from).ConfigureAwait(false);
            }
            else
            {
                await EnterAsync(stanza, from, nick).ConfigureAwait(false);
            }
        }
        else if (occupant.Nick != nick)
        {
            ChangeNick(stanza, occupant, nick);
        }
        else
        {
            occupant.Presence = stanza.Element;
            Broadcast(occupant, unavailable: false);
        }
    }

    private async Task EnterAsync(Stanza stanza, Jid from, string nick)
    {
        var created = false;
        if (AwaitingCreator)
        {
            AwaitingCreator = false;
            created = true;
            Locked = true;
            _affiliations[from.Bare] = MucAffiliation.Owner;
        }

        var affiliation = AffiliationOf(from);
        if (Locked && affiliation != MucAffiliation.Owner)
        {
            Refuse(stanza, "item-not-found", "The room is being created and is locked until its owner configures it.");
            return;
        }

        var join = stanza.Element.Element("x", MucNamespaces.Muc);
        var password = join?.ChildText("password", MucNamespaces.Muc);
        var refusal = RoomPermissions.RefuseEntry(affiliation, Configuration, password == Configuration.Password, OccupantCount, _limits.MaxOccupants);
        if (refusal is not null)
        {
            Refuse(stanza, refusal);
            await ForgetIfEmptyAsync().ConfigureAwait(false);
            return;
        }

        if (_byNick.ContainsKey(nick))
        {
            Refuse(stanza, "conflict", "That nickname is in use in the room.");
            return;
        }

        var occupant = new Occupant(nick, from, RoomPermissions.RoleOnEntry(affiliation, Configuration), stanza.Element);

        // §7.2.3: first everyone already here, then the newcomer to everyone, its own presence last.
        foreach (var other in _byNick.Values)
        {
            _host.Send(MucPresence.About(this, other, from, MaySeeRealJids(occupant), unavailable: false));
        }

        _byNick[nick] = occupant;
        _byRealJid[from] = occupant;
        foreach (var other in _byNick.Values)
        {
            if (!ReferenceEquals(other, occupant))
            {
                Deliver(other, MucPresence.About(this, occupant, other.RealJid, MaySeeRealJids(other), unavailable: false));
            }
        }

        _host.Send(MucPresence.About(this, occupant, from, showJid: true, unavailable: false, SelfCodes(created)));
        SendHistoryAndSubject(from, join);
    }

    /// <summary>
    /// Multi-session nick: another session of an occupant's user joins with the occupant's nick. It
    /// shares the occupant; the others see no change (the occupant is already here), the new session
    /// gets what any newcomer gets: everyone's presence, its own (110), the history and the subject.
    /// </summary>
    private async Task JoinSessionAsync(Stanza stanza, Occupant occupant, Jid from)
    {
        var join = stanza.Element.Element("x", MucNamespaces.Muc);
        var password = join?.ChildText("password", MucNamespaces.Muc);

        // The same checks as any entry, except that the occupant already holds its place in the room.
        var refusal = RoomPermissions.RefuseEntry(AffiliationOf(from), Configuration, password == Configuration.Password, OccupantCount - 1, _limits.MaxOccupants);
        if (refusal is not null)
        {
            Refuse(stanza, refusal);
            return;
        }

        if (occupant.Sessions.Count >= _limits.MaxSessionsPerNick)
        {
            Refuse(stanza, "conflict", "That nickname is in use in the room by as many of your sessions as the service allows.");
            return;
        }

        foreach (var other in _byNick.Values)
        {
            if (!ReferenceEquals(other, occupant))
            {
                _host.Send(MucPresence.About(this, other, from, MaySeeRealJids(occupant), unavailable: false));
            }
        }

        occupant.AddSession(from);
        _byRealJid[from] = occupant;
        _host.Send(MucPresence.About(this, occupant, from, showJid: true, unavailable: false, SelfCodes(created: false)));
        SendHistoryAndSubject(from, join);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>The status codes of a newcomer's own presence (§7.2.3): 110, with 100, 170 and 201 where they apply.</summary>
    private int[] SelfCodes(bool created)
    {
        var codes = new List<int> { 110 };
        if (Configuration.NonAnonymous)
        {
            codes.Add(100);
        }

        if (Configuration.Archived)
        {
            codes.Add(170);
        }

        if (created)
        {
            codes.Add(201);
        }

        return [.. codes];
    }

    private void SendHistoryAndSubject(Jid from, XmlElement? join)
    {
        // §7.2.15 history, then §7.2.16 the subject (always, empty when there is none: it ends the join).
        foreach (var (message, stamp) in History.Select(join?.Element("history", MucNamespaces.Muc), DateTimeOffset.UtcNow))
        {
            var copy = message.Clone().SetAttribute("to", from.ToString());
            copy.AddElement("delay", Namespaces.Delay).SetAttribute("from", Jid.ToString()).SetAttribute("stamp", Stamp(stamp));
            _host.Send(copy);
        }

        _host.Send(SubjectMessage(from));
    }

    private XmlElement SubjectMessage(Jid to)
    {
        var message = new XmlElement("message", Namespaces.Client)
            .SetAttribute("type", "groupchat")
            .SetAttribute("from", SubjectBy is null ? Jid.ToString() : Jid.WithResource(SubjectBy).ToString())
            .SetAttribute("to", to.ToString());
        message.AddElement("subject").AddText(Subject ?? "");
        return message;
    }

    /// <summary>§7.6: unavailable with 303 and the new nick from the old one, then available from the new one.</summary>
    private void ChangeNick(Stanza stanza, Occupant occupant, string nick)
    {
        if (_byNick.ContainsKey(nick))
        {
            Refuse(stanza, "conflict", "That nickname is in use in the room.");
            return;
        }

        foreach (var viewer in _byNick.Values)
        {
            var self = ReferenceEquals(viewer, occupant);
            var gone = MucPresence.About(this, occupant, viewer.RealJid, self || MaySeeRealJids(viewer), unavailable: true, self ? [303, 110] : [303]);
            gone.Element("x", MucNamespaces.User)!.Element("item", MucNamespaces.User)!.SetAttribute("nick", nick).SetAttribute("role", MucNames.Of(occupant.Role));
            Deliver(viewer, gone);
        }

        _byNick.Remove(occupant.Nick);
        occupant.Nick = nick;
        occupant.Presence = stanza.Element;
        _byNick[nick] = occupant;
        Broadcast(occupant, unavailable: false);
    }

    /// <summary>Sends an occupant's current presence to everyone, its own copy with 110.</summary>
    private void Broadcast(Occupant occupant, bool unavailable, params int[] codes)
    {
        foreach (var viewer in _byNick.Values)
        {
            var self = ReferenceEquals(viewer, occupant);
            Deliver(viewer, MucPresence.About(this, occupant, viewer.RealJid, self || MaySeeRealJids(viewer), unavailable, self ? [.. codes, 110] : codes));
        }
    }

    /// <summary>
    /// The occupant leaves (or is removed: 307 kicked, 301 banned, 321/322 no longer a member): everyone,
    /// the occupant included, sees it go. A temporary room that empties is destroyed (§10.1.3 / §10.9).
    /// </summary>
    private async Task LeaveAsync(Occupant occupant, int[] codes, string? actorNick = null, string? reason = null)
    {
        foreach (var viewer in _byNick.Values)
        {
            var self = ReferenceEquals(viewer, occupant);
            var gone = MucPresence.About(this, occupant, viewer.RealJid, self || MaySeeRealJids(viewer), unavailable: true, self ? [.. codes, 110] : codes);
            var item = gone.Element("x", MucNamespaces.User)!.Element("item", MucNamespaces.User)!;
            if (actorNick is not null)
            {
                item.AddElement("actor").SetAttribute("nick", actorNick);
            }

            if (!string.IsNullOrEmpty(reason))
            {
                item.AddElement("reason").AddText(reason);
            }

            Deliver(viewer, gone);
        }

        _byNick.Remove(occupant.Nick);
        foreach (var session in occupant.Sessions)
        {
            _byRealJid.Remove(session);
        }

        await ForgetIfEmptyAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// One session leaves (or bounced what the room sent it). While other sessions of a multi-session
    /// occupant stay, only the leaving session is told (its own unavailable presence); the others see
    /// the occupant leave with its last session.
    /// </summary>
    private async Task LeaveSessionAsync(Occupant occupant, Jid session, int[] codes)
    {
        if (occupant.Sessions.Count == 1)
        {
            await LeaveAsync(occupant, codes).ConfigureAwait(false);
            return;
        }

        occupant.RemoveSession(session);
        _byRealJid.Remove(session);
        _host.Send(MucPresence.About(this, occupant, session, showJid: true, unavailable: true, [.. codes, 110]));
    }

    /// <summary>Sends a stanza for an occupant to every one of its sessions.</summary>
    private void Deliver(Occupant viewer, XmlElement stanza)
    {
        for (var i = 1; i < viewer.Sessions.Count; i++)
        {
            _host.Send(stanza.Clone().SetAttribute("to", viewer.Sessions[i].ToString()));
        }

        _host.Send(stanza.SetAttribute("to", viewer.RealJid.ToString()));
    }

    private async Task ForgetIfEmptyAsync()
    {
        if (_byNick.Count == 0 && (!Configuration.Persistent || Locked || AwaitingCreator))
        {
            await DestroyAsync(null, null, notify: false).ConfigureAwait(false);
        }
    }

    /// <summary>§10.9: every occupant is told (with the alternate venue), the room and its storage go.</summary>
    private async Task DestroyAsync(Jid? alternate, string? reason, bool notify)
    {
        foreach (var occupant in notify ? _byNick.Values : Enumerable.Empty<Occupant>())
        {
            var presence = new XmlElement("presence", Namespaces.Client)
                .SetAttribute("from", Jid.WithResource(occupant.Nick).ToString())
                .SetAttribute("to", occupant.RealJid.ToString())
                .SetAttribute("type", "unavailable");
            var x = presence.AddElement("x", MucNamespaces.User);
            x.AddElement("item").SetAttribute("affiliation", "none").SetAttribute("role", "none");
            var destroy = x.AddElement("destroy");
            if (alternate is not null)
            {
                destroy.SetAttribute("jid", alternate.ToString());
            }

            if (!string.IsNullOrEmpty(reason))
            {
                destroy.AddElement("reason").AddText(reason);
            }

            x.AddElement("status").SetAttribute("code", "110");
            Deliver(occupant, presence);
        }

        _byNick.Clear();
        _byRealJid.Clear();
        IsDestroyed = true;
        await _host.ForgetAsync(this, keepArchive: false).ConfigureAwait(false);
        _host.Destroyed(this);
    }

    /// <summary>
    /// §7.2.x / status 332: the service is shutting down. Every occupant (each of its sessions) gets its
    /// own unavailable presence with 332 and 110, and the room empties without being destroyed: a
    /// persistent room stays in storage and is restored at the next start, where its users join again.
    /// </summary>
    public void ShutDown()
    {
        foreach (var occupant in _byNick.Values)
        {
            Deliver(occupant, MucPresence.About(this, occupant, occupant.RealJid, showJid: true, unavailable: true, 110, 332));
        }

        _byNick.Clear();
        _byRealJid.Clear();
    }

    private Task SaveAsync() => Configuration.Persistent && !Locked ? _host.SaveAsync(ToStored()) : Task.CompletedTask;

    internal static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
