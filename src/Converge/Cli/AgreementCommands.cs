using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Converge.Configuration;
using Converge.Http;

namespace Converge.Cli;

/// <summary>
/// <c>converge agreement list|show</c>: the interconnection agreements as configured, and - from the
/// running server, when it answers on Listeners.Http - what its policy refused since start.
/// Agreements are changed by editing the configuration file; a running server applies the change
/// within two seconds (or at once on SIGHUP).
/// </summary>
internal static class AgreementCommands
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var agreement = new Command("agreement", "Show the interconnection agreements with peer providers");
        var list = new Command("list", "List the agreements");
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, null, null, ct));
        var domain = new Argument<string>("DOMAIN") { Description = "The peer provider's domain" };
        var url = AdminApiClient.UrlOption();
        var token = AdminApiClient.TokenOption();
        var show = new Command("show", "Show one agreement and its counters in the running server") { domain, url, token };
        show.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, parse.GetRequiredValue(domain), (parse.GetValue(url), parse.GetValue(token)), ct));
        agreement.Subcommands.Add(list);
        agreement.Subcommands.Add(show);
        agreement.Subcommands.Add(Reload(config, context));
        return agreement;
    }

    /// <summary>Puts the configuration file's agreements in force in the running server now (the same as SIGHUP).</summary>
    private static Command Reload(Option<string?> config, CommandLineContext context)
    {
        var access = new OperatorCommand(config, context);
        var reload = access.With(new Command("reload", "Make the running server read its configuration file's agreements now"));
        reload.SetAction((parse, ct) => access.RunAsync(parse, async api =>
        {
            using var response = await api.PostAsync("api/agreements/reload", new { }, ct).ConfigureAwait(false);
            if (await access.FailedAsync(response, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            var result = await response.Content.ReadFromJsonAsync<Http.Api.ReloadResult>(ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"reloaded: {result?.Agreements} agreements in force (open federation: {(result?.Open == true ? "yes" : "no")})").ConfigureAwait(false);
            return ExitCodes.Success;
        }, null, ct));
        return reload;
    }

    private static async Task<int> RunAsync(
        string? configFile, CommandLineContext context, string? domain, (string? Url, string? Token)? server, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        var book = settings.Interconnection.Agreements;
        var output = context.Output;
        if (domain is null)
        {
            await output.WriteLineAsync($"open federation: {(book.Open ? "yes" : "no")}").ConfigureAwait(false);
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-28} {1,-22} {2,-48} {3}", "DOMAIN (*.: with subdomains)", "ADDRESS", "FEATURES", "NUMBER RANGES")).ConfigureAwait(false);
            foreach (var a in book.Agreements.OrderBy(a => a.PeerDomain, StringComparer.Ordinal))
            {
                await output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture, "{0,-28} {1,-22} {2,-48} {3}",
                    a.IncludeSubdomains ? "*." + a.PeerDomain : a.PeerDomain, a.Address ?? "(DNS)", string.Join(",", AgreementsEndpoint.FeatureNames(a.Features)), string.Join(",", a.NumberRanges))).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        var agreement = book.Find(domain);
        if (agreement is null)
        {
            await context.Error.WriteLineAsync($"error: no agreement with {domain}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync($"domain:            {agreement.PeerDomain}").ConfigureAwait(false);
        await output.WriteLineAsync($"address:           {agreement.Address ?? "(DNS SRV)"}").ConfigureAwait(false);
        await output.WriteLineAsync($"features:          {string.Join(", ", AgreementsEndpoint.FeatureNames(agreement.Features))}").ConfigureAwait(false);
        await output.WriteLineAsync($"subdomains:        {(agreement.IncludeSubdomains ? "covered (IncludeSubdomains)" : "not covered (only " + agreement.PeerDomain + " itself)")}").ConfigureAwait(false);
        await output.WriteLineAsync($"number ranges:     {string.Join(", ", agreement.NumberRanges)}").ConfigureAwait(false);
        await output.WriteLineAsync($"exposes:           provider branding {YesNo(agreement.Expose.ProviderBranding)}, device type {YesNo(agreement.Expose.DeviceType)}, access network {YesNo(agreement.Expose.AccessNetwork)}").ConfigureAwait(false);
        await output.WriteLineAsync($"rate limit:        {(agreement.StanzasPerSecond == 0 ? "none" : agreement.StanzasPerSecond + " stanzas/s")}").ConfigureAwait(false);
        await output.WriteLineAsync($"certificate:       {(agreement.RequireCertificate ? "required (SASL EXTERNAL only)" : "not required (dialback allowed)")}").ConfigureAwait(false);
        if (agreement.Allows(Core.Federation.InterconnectionFeature.Interworking))
        {
            await output.WriteLineAsync($"interworking:      {(agreement.InterworkingPerMinute == 0 ? "no limit" : agreement.InterworkingPerMinute + " messages/min")} through our SMS gateway").ConfigureAwait(false);
        }

        var (live, why) = await LiveAsync(settings, context, server, agreement.PeerDomain, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            await output.WriteLineAsync($"counters:          ({why})").ConfigureAwait(false);
        }
        else
        {
            if (live.Links is { } links)
            {
                await output.WriteLineAsync($"outbound link:     {links.Outbound}{(links.OutboundAuthentication is null ? "" : " (" + links.OutboundAuthentication + ")")}, {links.Queued} queued").ConfigureAwait(false);
                await output.WriteLineAsync($"inbound links:     {links.InboundLinks}").ConfigureAwait(false);
                await output.WriteLineAsync($"stanzas in / out:  {links.StanzasIn} / {links.StanzasOut}").ConfigureAwait(false);
                await output.WriteLineAsync($"bounced:           {links.Bounced}").ConfigureAwait(false);
                await output.WriteLineAsync($"links refused:     {links.LinksRefused}").ConfigureAwait(false);
                await output.WriteLineAsync($"unsolicited:       {links.UnsolicitedRepliesIn} in / {links.UnsolicitedRepliesOut} out (errors and IQ results that answered no request; dropped)").ConfigureAwait(false);
                await output.WriteLineAsync($"foreign senders:   {links.ForeignSendersDropped} (stanzas not from our domains; never sent)").ConfigureAwait(false);
                await output.WriteLineAsync($"last activity:     {links.LastActivity?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"refused incoming:  {live.RefusedIn} (by the agreement)").ConfigureAwait(false);
            await output.WriteLineAsync($"sent by SMS:       {live.InterworkingSent} (for the peer's users, under Interworking)").ConfigureAwait(false);
            await output.WriteLineAsync($"refused outgoing:  {live.RefusedOut} (by the agreement)").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>The running server's report of one agreement through the admin API (a read token), or why there is none.</summary>
    private static async Task<(AgreementReport? Report, string Why)> LiveAsync(
        ConvergeSettings settings, CommandLineContext context, (string? Url, string? Token)? server, string domain, CancellationToken cancellationToken)
    {
        using var api = AdminApiClient.For(settings, server?.Url, server?.Token, context, out var problem);
        if (api is null)
        {
            return (null, problem ?? "no server address");
        }

        try
        {
            using var response = await api.GetAsync($"api/agreements/{Uri.EscapeDataString(domain)}", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var why = await AdminApiClient.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                return (null, response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? $"the server wants an operator token: --token or ${AdminApiClient.TokenVariable}; {why}"
                    : why);
            }

            return (await response.Content.ReadFromJsonAsync<AgreementReport>(cancellationToken).ConfigureAwait(false), "");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return (null, $"the server does not answer at {api.BaseAddress}");
        }
    }
}
