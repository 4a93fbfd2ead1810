using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Converge.Core.Storage;
using Converge.Http.Api;

namespace Converge.Cli;

/// <summary>
/// <c>converge outbox list|retry|drop</c>: the SMS and email outbox per channel and lane. Through the
/// admin API when the server runs (a retry then also skips the lane's back-off at once); against the
/// store when it does not (the change applies when the server starts).
/// </summary>
internal static class OutboxCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var access = new OperatorCommand(config, context);
        var limit = new Option<int>("--limit") { Description = "How many lanes to show per channel, oldest first", DefaultValueFactory = _ => 20 };
        var list = access.With(new Command("list", "Depth, lanes and oldest message per channel, and the oldest lanes") { limit });
        list.SetAction((parse, ct) => access.RunAsync(
            parse,
            async api =>
            {
                using var summary = await api.GetAsync("api/outbox", ct).ConfigureAwait(false);
                if (await access.FailedAsync(summary, ct).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }

                var channels = await summary.Content.ReadFromJsonAsync<List<OutboxChannelView>>(ct).ConfigureAwait(false) ?? [];
                var lanes = new List<OutboxLane>();
                foreach (var channel in channels.Where(c => c.Lanes > 0))
                {
                    using var response = await api.GetAsync($"api/outbox/{channel.Channel}/lanes?limit={parse.GetValue(limit)}", ct).ConfigureAwait(false);
                    if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } laneFailure)
                    {
                        return laneFailure;
                    }

                    lanes.AddRange(await response.Content.ReadFromJsonAsync<List<OutboxLane>>(ct).ConfigureAwait(false) ?? []);
                }

                await WriteAsync(context, channels, lanes).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            async stores =>
            {
                var channels = await OutboxApi.SummarizeAsync(stores.Outbox, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                await WriteAsync(context, channels, await stores.Outbox.LanesAsync(null, parse.GetValue(limit), ct).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));

        return new Command("outbox", "The SMS and email outbox: what waits, and operator actions on a lane")
        {
            list,
            LaneCommand(access, context, "retry", "Send a lane's waiting messages now, without waiting for its back-off",
                (stores, lane, ct) => stores.Outbox.RetryLaneAsync(lane, DateTimeOffset.UtcNow, ct)),
            LaneCommand(access, context, "drop", "Discard a lane's waiting messages (their senders are not told)",
                (stores, lane, ct) => stores.Outbox.DropLaneAsync(lane, ct)),
        };
    }

    private static Command LaneCommand(OperatorCommand access, CommandLineContext context, string verb, string description, Func<IStores, string, CancellationToken, Task<int>> offline)
    {
        var lane = new Argument<string>("LANE") { Description = "The lane, as outbox list shows it" };
        var command = access.With(new Command(verb, description) { lane });
        command.SetAction((parse, ct) => access.RunAsync(
            parse,
            async api =>
            {
                using var response = await api.PostAsync($"api/outbox/{verb}", new LaneAction(parse.GetRequiredValue(lane)), ct).ConfigureAwait(false);
                if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }

                var result = await response.Content.ReadFromJsonAsync<LaneActionResult>(ct).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"{verb}: {result?.Items ?? 0} messages of lane {result?.Lane}").ConfigureAwait(false);
                return ExitCodes.Success;
            },
            async stores =>
            {
                var items = await offline(stores, parse.GetRequiredValue(lane), ct).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"{verb}: {items} messages of lane {parse.GetRequiredValue(lane)} (in the store)").ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }

    private static async Task WriteAsync(CommandLineContext context, IReadOnlyList<OutboxChannelView> channels, IReadOnlyList<OutboxLane> lanes)
    {
        var output = context.Output;
        await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-8} {1,8} {2,8} {3}", "CHANNEL", "WAITING", "LANES", "OLDEST")).ConfigureAwait(false);
        foreach (var c in channels)
        {
            await output.WriteLineAsync(string.Format(
                CultureInfo.InvariantCulture, "{0,-8} {1,8} {2,8} {3}", c.Channel, c.Depth, c.Lanes, c.Oldest is { } o ? $"{o:u} ({Age(c.OldestAgeSeconds)} ago)" : "-")).ConfigureAwait(false);
        }

        if (lanes.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-6} {1,6} {2,8} {3,-20} {4}", "CHAN", "DEPTH", "ATTEMPTS", "NEXT ATTEMPT", "LANE")).ConfigureAwait(false);
        foreach (var l in lanes)
        {
            await output.WriteLineAsync(string.Format(
                CultureInfo.InvariantCulture, "{0,-6} {1,6} {2,8} {3,-20:u} {4}", l.Channel.ToString().ToLowerInvariant(), l.Depth, l.HeadAttempts, l.NextAttempt, l.Lane)).ConfigureAwait(false);
        }
    }

    private static string Age(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString("c", CultureInfo.InvariantCulture);
}
