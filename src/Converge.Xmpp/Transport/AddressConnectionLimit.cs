using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Converge.Xmpp.Transport;

/// <summary>
/// Counts connections that have not yet authenticated, per remote address, and refuses one past
/// <see cref="MaxPerAddress"/>. Every door that accepts strangers (c2s over TCP and WebSocket, s2s,
/// SMTP) holds one: a single host cannot fill the server with half-open negotiations that each cost
/// a TLS handshake, a parser and a timeout. IPv6 addresses count per /64, the block one subscriber
/// line usually gets, so rotating through one's own prefix does not escape the limit.
/// </summary>
/// <remarks>
/// A door takes a <see cref="Lease"/> when it accepts and disposes of it when the peer has
/// authenticated or the connection ends, whichever comes first (disposing twice is harmless).
/// </remarks>
public sealed class AddressConnectionLimit
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <param name="maxPerAddress">Most unauthenticated connections per address; 0 turns the limit off.</param>
    public AddressConnectionLimit(int maxPerAddress)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerAddress);
        MaxPerAddress = maxPerAddress;
    }

    public int MaxPerAddress { get; }

    /// <summary>Unauthenticated connections open now from the address (or its /64).</summary>
    public int OpenFrom(IPAddress address) => _open.TryGetValue(KeyOf(address), out var n) ? n : 0;

    /// <summary>A lease for one more connection from <paramref name="address"/>, or null when it already has its share.</summary>
    public Lease? TryAcquire(IPAddress? address)
    {
        if (address is null || MaxPerAddress == 0)
        {
            return new Lease(this, null); // not counted: nothing to key on, or no limit
        }

        var key = KeyOf(address);
        while (true)
        {
            if (_open.TryGetValue(key, out var n))
            {
                if (n >= MaxPerAddress)
                {
                    return null;
                }

                if (_open.TryUpdate(key, n + 1, n))
                {
                    return new Lease(this, key);
                }
            }
            else if (_open.TryAdd(key, 1))
            {
                return new Lease(this, key);
            }
        }
    }

    private void Release(IPAddress key)
    {
        while (_open.TryGetValue(key, out var n))
        {
            if (n <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(key, n)) : _open.TryUpdate(key, n - 1, n))
            {
                return;
            }
        }
    }

    /// <summary>The address as counted: IPv4 (also when mapped into IPv6) as is, IPv6 by its /64 prefix.</summary>
    internal static IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>One counted connection; disposing of it (once is enough, more is harmless) frees its place.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly AddressConnectionLimit _owner;
        private IPAddress? _key;

        internal Lease(AddressConnectionLimit owner, IPAddress? key)
        {
            _owner = owner;
            _key = key;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _key, null) is { } key)
            {
                _owner.Release(key);
            }
        }
    }
}
