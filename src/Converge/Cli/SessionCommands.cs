using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Converge.Xmpp.Server;

namespace Converge.Cli;

/// <summary><c>converge session list|kick</c>: who is online, and ending sessions, through the admin API (sessions exist only in a running server).</summary>
internal static class SessionCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var access = new OperatorCommand(config, context);
        var user = new Argument<string?>("JID") { Description = "Only this user's sessions (bare JID)", Arity = ArgumentArity.ZeroOrOne };
        var list = access.With(new Command("list", "List the bound sessions, of everyone or of one user") { user });
        list.SetAction((parse, ct) => access.RunAsync(parse, async api =>
        {
            var who = parse.GetValue(user);
            using var response = await api.GetAsync(who is null ? "api/sessions" : "api/sessions/" + Uri.EscapeDataString(who), ct).ConfigureAwait(false);
            if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            var sessions = await response.Content.ReadFromJsonAsync<List<SessionReport>>(ct).ConfigureAwait(false) ?? [];
            await context.Output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-48} {1,-15} {2,-9} {3,-8} {4}", "JID", "LISTENER", "PRESENCE", "PRIORITY", "SINCE")).ConfigureAwait(false);
            foreach (var s in sessions)
            {
                await context.Output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture, "{0,-48} {1,-15} {2,-9} {3,-8} {4:u}{5}",
                    s.Jid, s.Listener, s.Available ? "available" : "-", s.Priority, s.Started, s.Detached ? " (detached, resumable)" : "")).ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync($"{sessions.Count} sessions").ConfigureAwait(false);
            return ExitCodes.Success;
        }, null, ct));

        var target = new Argument<string>("JID") { Description = "A bare JID (every session of the user) or a full JID (one session)" };
        var kick = access.With(new Command("kick", "End sessions (the client is told policy-violation)") { target });
        kick.SetAction((parse, ct) => access.RunAsync(parse, async api =>
        {
            using var response = await api.PostAsync("api/sessions/" + Uri.EscapeDataString(parse.GetRequiredValue(target)) + "/kick", new { }, ct).ConfigureAwait(false);
            if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            var result = await response.Content.ReadFromJsonAsync<Http.Api.KickResult>(ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"ended {result?.Ended ?? 0} sessions of {result?.Jid}").ConfigureAwait(false);
            return ExitCodes.Success;
        }, null, ct));

        return new Command("session", "See and end client sessions of the running server") { list, kick };
    }
}
