using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// The thread map: Maya, who has no number of her own, keeps two threads with Peter. Each thread
/// goes out from its own pool number, and Peter's reply to a pool number lands in that thread,
/// even when it is not the most recent one.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class ReplyThreadTests(SmsWorld world)
{
    [Fact]
    public async Task Peters_reply_to_a_pool_number_lands_in_the_thread_that_number_carries()
    {
        const string peter = "+4915130000001";
        await using var maya = await world.ClientAsync(Maya);

        await maya.SendAsync(JidOf(peter), "About the car: can you fix it?", thread: "thread-car");
        await maya.SendAsync(JidOf(peter), "About the house: when do we paint?", thread: "thread-house");

        var inbox = await world.Network.ExpectInboxAsync(peter, 2, TimeSpan.FromSeconds(20), world.Context);
        var (car, house) = (inbox[0], inbox[1]);
        Assert.Equal("About the car: can you fix it?", car.Text);
        Assert.Equal("About the house: when do we paint?", house.Text);
        Assert.Contains(car.From, SourceNumbers);
        Assert.Contains(house.From, SourceNumbers);
        Assert.NotEqual(car.From, house.From);

        // The car thread is the older one: only the pool number can lead the reply there.
        await world.Network.SendAsync(peter, car.From, "Car: Tuesday");
        var carReply = await maya.MessageAsync(m => m.From == JidOf(peter) && m.Body == "Car: Tuesday", "Peter's reply about the car");
        Assert.Equal("thread-car", carReply.Thread);

        await world.Network.SendAsync(peter, house.From, "House: next month");
        var houseReply = await maya.MessageAsync(m => m.From == JidOf(peter) && m.Body == "House: next month", "Peter's reply about the house");
        Assert.Equal("thread-house", houseReply.Thread);
    }
}
