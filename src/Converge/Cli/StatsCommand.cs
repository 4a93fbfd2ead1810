using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Converge.Http.Api;

namespace Converge.Cli;

/// <summary><c>converge stats</c>: a one-screen summary of the running server, from <c>GET /api/status</c>.</summary>
internal static class StatsCommand
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var access = new OperatorCommand(config, context);
        var command = access.With(new Command("stats", "A one-screen summary of the running server: sessions, agreements, refusals, outbox"));
        command.SetAction((parse, ct) => access.RunAsync(parse, async api =>
        {
            using var response = await api.GetAsync("api/status", ct).ConfigureAwait(false);
            if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            var s = await response.Content.ReadFromJsonAsync<ServerStatus>(ct).ConfigureAwait(false);
            if (s is null)
            {
                return ExitCodes.Failure;
            }

            var o = context.Output;
            await o.WriteLineAsync($"domain:           {s.Domain} (converge {s.Version})").ConfigureAwait(false);
            await o.WriteLineAsync($"up since:         {s.Started.ToString("u", CultureInfo.InvariantCulture)} ({TimeSpan.FromSeconds(Math.Round(s.UptimeSeconds)).ToString("c", CultureInfo.InvariantCulture)})").ConfigureAwait(false);
            await o.WriteLineAsync($"sessions:         {s.Sessions} bound, {s.Connections} connections").ConfigureAwait(false);
            await o.WriteLineAsync($"agreements:       {s.Agreements}, {s.AgreementLinksUp} peers linked").ConfigureAwait(false);
            await o.WriteLineAsync($"refused by policy: {s.RefusedIn} in, {s.RefusedOut} out").ConfigureAwait(false);
            foreach (var c in s.Outbox)
            {
                await o.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture, "outbox {0,-6}     {1} waiting in {2} lanes, oldest {3:0}s", c.Channel + ":", c.Depth, c.Lanes, c.OldestAgeSeconds)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }, null, ct));
        return command;
    }
}
