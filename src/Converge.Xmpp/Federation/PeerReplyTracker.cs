using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Errors and IQ results cross between providers only as replies (DESIGN.md, "Trust boundaries"):
/// this remembers, for one peer domain, the requests that went each way - kind, id, our party and
/// the peer's (bare JIDs) - so that a reply is let through only when it answers one of them with
/// the addresses swapped. Anything else that looks like a reply is unsolicited: a peer pushing an
/// IQ result with a payload, or an error message, at a user who never wrote to it.
/// <para>
/// On the hot path of every link, so cheap: lock-free, nothing allocated per stanza but the set's
/// entry, memory bounded by <c>capacity</c> per direction. Entries older than <c>lifetime</c> no
/// longer match. Past the capacity the oldest half is forgotten at once (two generations swapped
/// whole), so under a flood a slow reply may be refused - never memory spent without bound.
/// </para>
/// </summary>
/// <param name="capacity">Requests remembered per direction at most.</param>
/// <param name="lifetime">How long a request can be answered.</param>
/// <param name="clock">Milliseconds, monotonic; <see cref="Environment.TickCount64"/> unless a test steers time.</param>
internal sealed class PeerReplyTracker(int capacity, TimeSpan lifetime, Func<long>? clock = null)
{
    private readonly RequestSet _sent = new(capacity, (long)lifetime.TotalMilliseconds, clock ?? SystemClock);
    private readonly RequestSet _received = new(capacity, (long)lifetime.TotalMilliseconds, clock ?? SystemClock);

    /// <summary>Requests we sent and may still be answered (approximate under concurrency; for tests and the operator).</summary>
    public int SentCount => _sent.Count;

    /// <summary>Requests the peer sent us that we may still answer.</summary>
    public int ReceivedCount => _received.Count;

    private static long SystemClock() => Environment.TickCount64;

    /// <summary>An error (any kind) or an IQ result: what may only answer a request.</summary>
    public static bool IsReply(Stanza stanza)
    {
        var type = stanza.Type;
        return type == "error" || (stanza.Kind == StanzaKind.Iq && type == "result");
    }

    /// <summary>We send <paramref name="request"/> (from one of ours to the peer); its answer may come back.</summary>
    public void RequestSent(Stanza request) => _sent.Record(Key(request, ours: request.From!, peer: request.To!));

    /// <summary>Whether <paramref name="reply"/>, from the peer to one of ours, answers a request we sent.</summary>
    public bool AnswersSent(Stanza reply) => _sent.TryMatch(Key(reply, ours: reply.To!, peer: reply.From!), once: reply.Kind == StanzaKind.Iq);

    /// <summary>The peer sent us <paramref name="request"/>; we may answer it.</summary>
    public void RequestReceived(Stanza request) => _received.Record(Key(request, ours: request.To!, peer: request.From!));

    /// <summary>Whether <paramref name="reply"/>, from one of ours to the peer, answers a request the peer sent.</summary>
    public bool AnswersReceived(Stanza reply) => _received.TryMatch(Key(reply, ours: reply.From!, peer: reply.To!), once: reply.Kind == StanzaKind.Iq);

    // Bare JIDs: a reply to a bare address comes from it (RFC 6120 §10.5.3), an error may come from the
    // bare or the full one, and it goes to the resource that asked or to its account.
    private static RequestKey Key(Stanza stanza, Jid ours, Jid peer) =>
        new(stanza.Kind, stanza.Id ?? "", ours.Local, ours.Domain, peer.Local, peer.Domain);

    /// <summary>Strings the stanza already holds; no copy is made to look one up.</summary>
    private readonly record struct RequestKey(StanzaKind Kind, string Id, string? OurLocal, string OurDomain, string? PeerLocal, string PeerDomain);

    /// <summary>One direction's requests: two generations of at most half the capacity each, the older dropped whole.</summary>
    private sealed class RequestSet(int capacity, long lifetimeMs, Func<long> clock)
    {
        private readonly int _perGeneration = Math.Max(1, capacity / 2);
        private Generations _generations = new(new Generation(clock(), 0), null);

        public int Count
        {
            get
            {
                var g = Volatile.Read(ref _generations);
                return Volatile.Read(ref g.Current.Count) + (g.Previous is { } p ? Volatile.Read(ref p.Count) : 0);
            }
        }

        public void Record(RequestKey key)
        {
            var now = clock();
            var current = Advance(now).Current;

            if (current.Entries.TryAdd(key, now))
            {
                Interlocked.Increment(ref current.Count);
            }
            else
            {
                // A repeated key (a client that reuses ids, messages without one) just starts its clock again.
                current.Entries[key] = now;
            }
        }

        /// <param name="once">Take the entry: an IQ is answered exactly once (RFC 6120 §8.2.3).</param>
        public bool TryMatch(RequestKey key, bool once)
        {
            var now = clock();
            var generations = Advance(now);
            return Take(generations.Current, key, once, now) || (generations.Previous is { } previous && Take(previous, key, once, now));
        }

        private bool Take(Generation generation, RequestKey key, bool once, long now)
        {
            if (!generation.Entries.TryGetValue(key, out var recorded) || now - recorded >= lifetimeMs)
            {
                return false;
            }

            if (!once)
            {
                return true;
            }

            // Of two replies racing for one request, one wins.
            if (!generation.Entries.TryRemove(new KeyValuePair<RequestKey, long>(key, recorded)))
            {
                return false;
            }

            Interlocked.Decrement(ref generation.Count);
            return true;
        }

        /// <summary>
        /// Starts a new generation when the current one is full or a lifetime old, and drops the one
        /// before it: by then that holds either only entries past their lifetime or, under a flood,
        /// the oldest half of the capacity. Entries only ever go into a generation younger than a
        /// lifetime, so one two lifetimes old holds nothing that can match, and goes too.
        /// </summary>
        private Generations Advance(long now)
        {
            var generations = Volatile.Read(ref _generations);
            var current = generations.Current;
            var age = now - current.Started;
            var full = Volatile.Read(ref current.Count) >= _perGeneration;
            if (!full && age < lifetimeMs)
            {
                return generations;
            }

            // A busy peer fills the next generation too: sized for it at once, it never grows (and
            // rehashes) on the way; a quiet one starts small.
            var next = new Generations(new Generation(now, full ? _perGeneration : 0), age >= 2 * lifetimeMs ? null : current);
            var seen = Interlocked.CompareExchange(ref _generations, next, generations);
            return ReferenceEquals(seen, generations) ? next : seen;
        }
    }

    private sealed class Generation(long started, int expected)
    {
        public readonly ConcurrentDictionary<RequestKey, long> Entries = new(Environment.ProcessorCount, Math.Max(31, expected));
        public readonly long Started = started;
        public int Count;
    }

    private sealed record Generations(Generation Current, Generation? Previous);
}
