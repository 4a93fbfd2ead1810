using Converge.Admin;
using Converge.Configuration;
using Converge.Core.Storage;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Http.Api;

/// <summary>The one-screen summary of a running server (<c>GET /api/status</c>, <c>converge stats</c>).</summary>
internal sealed record ServerStatus(
    string Domain, string Version, DateTimeOffset Started, double UptimeSeconds, int Sessions, int Connections, int Agreements,
    int AgreementLinksUp, long RefusedIn, long RefusedOut, IReadOnlyList<OutboxChannelView> Outbox);

/// <summary><c>GET /api/status</c>.</summary>
internal static class StatusApi
{
    private static readonly DateTimeOffset Started = new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime());

    public static void MapStatus(this RouteGroupBuilder api) =>
        api.MapGet("/status", async (ConvergeSettings settings, XmppService xmpp, IStores stores, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            var refusals = xmpp.Server.Refusals();
            var up = xmpp.Server.PeerLinks().Count(l => l.Outbound == "Up" || l.InboundLinks > 0);
            return Results.Json(new ServerStatus(
                settings.Domain, ConvergeVersion.Text, Started, (now - Started).TotalSeconds, xmpp.Server.SessionCount, xmpp.Server.ConnectionCount,
                xmpp.Server.Agreements.Agreements.Count, up, refusals.Sum(r => r.RefusedIn), refusals.Sum(r => r.RefusedOut),
                await OutboxApi.SummarizeAsync(stores.Outbox, now, cancellationToken).ConfigureAwait(false)));
        }).RequireScope(OperatorScope.Read);
}
