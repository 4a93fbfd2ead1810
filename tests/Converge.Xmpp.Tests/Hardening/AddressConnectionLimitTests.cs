using System.Net;
using Converge.Xmpp.Transport;

namespace Converge.Xmpp.Tests.Hardening;

public sealed class AddressConnectionLimitTests
{
    [Fact]
    public void An_address_gets_its_share_and_a_freed_place_is_given_again()
    {
        var limit = new AddressConnectionLimit(2);
        var a = IPAddress.Parse("192.0.2.1");
        var first = limit.TryAcquire(a);
        var second = limit.TryAcquire(a);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limit.TryAcquire(a));
        Assert.NotNull(limit.TryAcquire(IPAddress.Parse("192.0.2.2"))); // another address is not affected

        first!.Dispose();
        first.Dispose(); // twice frees one place only
        Assert.Equal(1, limit.OpenFrom(a));
        Assert.NotNull(limit.TryAcquire(a));
        Assert.Null(limit.TryAcquire(a));
    }

    [Fact]
    public void Ipv4_mapped_addresses_count_as_ipv4_and_ipv6_counts_per_64()
    {
        var limit = new AddressConnectionLimit(1);
        Assert.NotNull(limit.TryAcquire(IPAddress.Parse("192.0.2.1")));
        Assert.Null(limit.TryAcquire(IPAddress.Parse("::ffff:192.0.2.1")));

        Assert.NotNull(limit.TryAcquire(IPAddress.Parse("2001:db8:0:1::1")));
        Assert.Null(limit.TryAcquire(IPAddress.Parse("2001:db8:0:1:abcd::2")));
        Assert.NotNull(limit.TryAcquire(IPAddress.Parse("2001:db8:0:2::1")));
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        var limit = new AddressConnectionLimit(0);
        var a = IPAddress.Parse("192.0.2.1");
        Assert.All(Enumerable.Range(0, 100), _ => Assert.NotNull(limit.TryAcquire(a)));
    }
}
