using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Converge.Configuration;
using Converge.Hosting;
using Converge.Xmpp.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Cli;

/// <summary>
/// <c>converge routes</c>: every routing event and its handlers in the order they run, read from the
/// server's own registration (so it cannot drift from the code). IQ payload handlers are listed
/// under the Prosody-style names of their events, <c>iq-get/bare/ns:name</c>.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create(Option<string?> config, CommandLineContext context)
    {
        var routes = new Command("routes", "Print the routing events and their handlers in the order they run");
        routes.SetAction((parse, ct) => RunAsync(parse.GetValue(config), context, ct));
        return routes;
    }

    private static async Task<int> RunAsync(string? configFile, CommandLineContext context, CancellationToken cancellationToken)
    {
        if (await SettingsOpener.TryLoadAsync(configFile, context).ConfigureAwait(false) is not { } settings)
        {
            return ExitCodes.Configuration;
        }

        var stores = await StorageOpener.TryOpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            return ExitCodes.Failure;
        }

        await using (stores.ConfigureAwait(false))
        {
            // The table does not depend on the certificate; a throwaway one spares the data directory.
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = new CertificateRequest("CN=" + settings.Domain, key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            await using var server = new XmppServer(XmppService.OptionsFor(settings, certificate), stores, NullLoggerFactory.Instance);
            var output = context.Output;
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-22} {1,8}  {2}", "EVENT", "PRIORITY", "HANDLER")).ConfigureAwait(false);
            string? previous = null;
            foreach (var entry in server.RoutingTable())
            {
                var name = entry.Event == previous ? "" : entry.Event;
                previous = entry.Event;
                await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-22} {1,8}  {2}", name, entry.Priority, entry.Handler)).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("IQ payload events (fired by the iq handlers at priority 0):").ConfigureAwait(false);
            foreach (var iq in server.IqEvents())
            {
                await output.WriteLineAsync("  " + iq).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
