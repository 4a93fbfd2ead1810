using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Push;

/// <summary>
/// The client side of push (XEP-0357 §5, §6): a client enables notifications to its app server's
/// node, with the publish-options (the app's secret) to send along, and disables them again. Only
/// an account's own clients may, for that account.
/// </summary>
internal sealed partial class PushModule(PushRegistrations registrations, PushSettings settings, ILogger logger)
{
    /// <summary>XEP-0060 allows any node name; this bounds what we store per registration.</summary>
    private const int MaxNodeLength = 1024;

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "enable", PushNamespaces.Push, EnableAsync, PushNamespaces.Push);
        iq.Register(IqTarget.Account, "disable", PushNamespaces.Push, DisableAsync, PushNamespaces.Push);
    }

    private async ValueTask EnableAsync(IqContext context)
    {
        if (!await IsOwnClientSetAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var payload = context.Payload;
        var node = payload.GetAttribute("node");
        if (!TryService(payload, out var service) || string.IsNullOrEmpty(node) || node.Length > MaxNodeLength)
        {
            await context.ErrorAsync("bad-request", "enable needs the app server's 'jid' and a 'node'.").ConfigureAwait(false);
            return;
        }

        var options = "";
        if (payload.Element("x", Namespaces.DataForms) is { } form)
        {
            if (FormType(form) != PushNamespaces.PublishOptions)
            {
                await context.ErrorAsync("bad-request", "The form in enable must be publish-options.").ConfigureAwait(false);
                return;
            }

            options = XmlWriter.ToXmlString(form);
            if (System.Text.Encoding.UTF8.GetByteCount(options) > settings.MaxPublishOptionsBytes)
            {
                await context.ErrorAsync("not-acceptable", $"The publish-options form is larger than {settings.MaxPublishOptionsBytes} bytes.").ConfigureAwait(false);
                return;
            }
        }

        var owner = context.Target;
        var resource = context.Origin!.FullJid.Resource ?? "";
        if (!await registrations.EnableAsync(owner, new PushRegistrationRow(service.ToString(), node, resource, options), settings.MaxRegistrationsPerAccount, CancellationToken.None).ConfigureAwait(false))
        {
            await context.ErrorAsync("resource-constraint", $"At most {settings.MaxRegistrationsPerAccount} push registrations per account.").ConfigureAwait(false);
            return;
        }

        LogEnabled(logger, owner.ToString(), service.ToString(), resource);
        await context.ResultAsync().ConfigureAwait(false);
    }

    private async ValueTask DisableAsync(IqContext context)
    {
        if (!await IsOwnClientSetAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var payload = context.Payload;
        if (!TryService(payload, out var service))
        {
            await context.ErrorAsync("bad-request", "disable needs the app server's 'jid'.").ConfigureAwait(false);
            return;
        }

        var node = payload.GetAttribute("node");
        var removed = await registrations.DisableAsync(context.Target, service.ToString(), string.IsNullOrEmpty(node) ? null : node, CancellationToken.None).ConfigureAwait(false);
        LogDisabled(logger, context.Target.ToString(), service.ToString(), removed);
        await context.ResultAsync().ConfigureAwait(false);
    }

    private static async ValueTask<bool> IsOwnClientSetAsync(IqContext context)
    {
        if (!context.IsSet)
        {
            await context.ErrorAsync("bad-request", "enable and disable are IQ sets.").ConfigureAwait(false);
            return false;
        }

        // Registering someone else's phone for notifications, or a peer registering ours, is not a thing.
        if (context.Origin is null || !context.IsOwnAccount)
        {
            await context.ErrorAsync("forbidden").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static bool TryService(XmlElement payload, out Jid service) =>
        Jid.TryParse(payload.GetAttribute("jid"), out service!);

    internal static string? FormType(XmlElement form)
    {
        foreach (var field in form.Elements("field", Namespaces.DataForms))
        {
            if (field.GetAttribute("var") == "FORM_TYPE")
            {
                return field.ChildText("value", Namespaces.DataForms);
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Push enabled for {Owner} ({Resource}) to app server {Service}")]
    private static partial void LogEnabled(ILogger logger, string owner, string service, string resource);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Push disabled for {Owner} at app server {Service} ({Removed} registrations removed)")]
    private static partial void LogDisabled(ILogger logger, string owner, string service, int removed);
}
