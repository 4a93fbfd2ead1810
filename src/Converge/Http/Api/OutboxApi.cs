using Converge.Admin;
using Converge.Core.Storage;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary>One channel's outbox: how many messages wait in how many lanes, and since when.</summary>
internal sealed record OutboxChannelView(string Channel, long Depth, int Lanes, DateTimeOffset? Oldest, double OldestAgeSeconds);

/// <summary>The body of a lane action and of its answer.</summary>
internal sealed record LaneAction(string Lane);

/// <summary>The answer of a lane action: how many items it touched.</summary>
internal sealed record LaneActionResult(string Lane, int Items);

/// <summary>
/// <c>/api/outbox</c>: per channel depth, lanes and oldest item; the lanes themselves; retry a lane now
/// (its back-off forgotten) or drop it (its messages discarded, for a recipient that will never answer).
/// </summary>
internal static class OutboxApi
{
    // Enough for any screen; the totals per channel count every lane.
    private const int MaxLanesListed = 1000;

    public static void MapOutbox(this RouteGroupBuilder api)
    {
        api.MapGet("/outbox", SummaryAsync).RequireScope(OperatorScope.Read);
        api.MapGet("/outbox/{channel}/lanes", LanesAsync).RequireScope(OperatorScope.Read);
        api.MapPost("/outbox/retry", RetryAsync).RequireScope(OperatorScope.Admin);
        api.MapPost("/outbox/drop", DropAsync).RequireScope(OperatorScope.Admin);
    }

    /// <summary>Both channels, an empty one with zeros, from one aggregate query.</summary>
    public static async Task<List<OutboxChannelView>> SummarizeAsync(IOutboxStore outbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var totals = await outbox.TotalsAsync(cancellationToken).ConfigureAwait(false);
        return [.. new[] { OutboxChannel.Sms, OutboxChannel.Email }.Select(channel =>
        {
            var of = totals.FirstOrDefault(t => t.Channel == channel);
            var oldest = of?.Oldest;
            return new OutboxChannelView(Label(channel), of?.Depth ?? 0, of?.Lanes ?? 0, oldest, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0);
        })];
    }

    private static async Task<IResult> SummaryAsync(IStores stores, TimeProvider time, CancellationToken cancellationToken) =>
        Results.Json(await SummarizeAsync(stores.Outbox, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> LanesAsync(string channel, int? limit, IStores stores, CancellationToken cancellationToken)
    {
        if (Parse(channel) is not { } parsed)
        {
            return Results.Json(new ApiError("not-found", $"no outbox channel '{channel}' (sms, email)"), statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Json(await stores.Outbox.LanesAsync(parsed, Math.Clamp(limit ?? 100, 1, MaxLanesListed), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> RetryAsync(LaneAction action, HttpContext http, IStores stores, InterworkingService interworking, TimeProvider time, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(action.Lane))
        {
            return Results.Json(new ApiError("bad-request", "lane is required"), statusCode: StatusCodes.Status400BadRequest);
        }

        var items = await stores.Outbox.RetryLaneAsync(action.Lane, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var channel in new[] { OutboxChannel.Sms, OutboxChannel.Email })
        {
            interworking.Channel(channel)?.RetryLaneNow(action.Lane);
        }

        AdminLog.LaneRetried(logger, http.Caller().Name, action.Lane, items);
        return Results.Json(new LaneActionResult(action.Lane, items));
    }

    private static async Task<IResult> DropAsync(LaneAction action, HttpContext http, IStores stores, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(action.Lane))
        {
            return Results.Json(new ApiError("bad-request", "lane is required"), statusCode: StatusCodes.Status400BadRequest);
        }

        var items = await stores.Outbox.DropLaneAsync(action.Lane, cancellationToken).ConfigureAwait(false);
        AdminLog.LaneDropped(logger, http.Caller().Name, action.Lane, items);
        return Results.Json(new LaneActionResult(action.Lane, items));
    }

    private static string Label(OutboxChannel channel) => channel == OutboxChannel.Sms ? "sms" : "email";

    private static OutboxChannel? Parse(string channel) => channel switch
    {
        "sms" => OutboxChannel.Sms,
        "email" => OutboxChannel.Email,
        _ => null,
    };
}
