using System.Globalization;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>
/// The node options of a data form (XEP-0004) as publish-options (XEP-0060 §7.1.5) and node
/// configuration (§8.2) carry them. Only the options PEP clients rely on are kept; the others clients
/// send along (XEP-0402 asks for <c>pubsub#send_last_published_item</c>, for instance) are accepted
/// and ignored, as Prosody and ejabberd do, so that those clients' publishes do not fail.
/// </summary>
internal sealed record NodeConfigForm(AccessModel? Access, bool? PersistItems, int? MaxItems)
{
    public const string AccessField = "pubsub#access_model";
    public const string PersistField = "pubsub#persist_items";
    public const string MaxItemsField = "pubsub#max_items";

    public static readonly NodeConfigForm Empty = new(null, null, null);

    /// <summary>Reads a form; null with <paramref name="error"/> when a value is malformed.</summary>
    public static NodeConfigForm? Parse(XmlElement? x, PepLimits limits, out string? error)
    {
        error = null;
        if (x is null)
        {
            return Empty;
        }

        AccessModel? access = null;
        bool? persist = null;
        int? maxItems = null;
        foreach (var field in x.Elements("field", Namespaces.DataForms))
        {
            var name = field.GetAttribute("var");
            var value = field.ChildText("value", Namespaces.DataForms)?.Trim().ToLowerInvariant();
            switch (name)
            {
                case "FORM_TYPE":
                    break;
                case AccessField:
                    if (!AccessModels.TryParse(value, out var model))
                    {
                        error = $"Unsupported access model '{value}' (open, presence, whitelist).";
                        return null;
                    }

                    access = model;
                    break;
                case PersistField:
                    if (value is not ("1" or "0" or "true" or "false"))
                    {
                        error = $"'{value}' is not a boolean.";
                        return null;
                    }

                    persist = value is "1" or "true";
                    break;
                case MaxItemsField:
                    if (value == "max")
                    {
                        maxItems = limits.MaxItemsPerNode;
                    }
                    else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                    {
                        maxItems = Math.Min(n, limits.MaxItemsPerNode);
                    }
                    else
                    {
                        error = $"'{value}' is not a positive number of items or 'max'.";
                        return null;
                    }

                    break;
            }
        }

        return new NodeConfigForm(access, persist, maxItems);
    }

    /// <summary>The configuration a new node gets from these options.</summary>
    public PepNodeConfig Apply(PepNodeConfig config) =>
        new(Access ?? config.Access, PersistItems ?? config.PersistItems, MaxItems ?? config.MaxItems);

    /// <summary>XEP-0060 §7.1.5: every option given must equal the node's; false means precondition-not-met.</summary>
    public bool Matches(PepNodeConfig config) =>
        (Access is null || Access == config.Access)
        && (PersistItems is null || PersistItems == config.PersistItems)
        && (MaxItems is null || MaxItems == config.MaxItems);

    /// <summary>The configuration form of a node (XEP-0060 §8.2.1), for a configure request.</summary>
    public static XmlElement Render(PepNodeConfig config, int maxItemsLimit)
    {
        var x = new XmlElement("x", Namespaces.DataForms).SetAttribute("type", "form");
        x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(PepNamespaces.NodeConfig);
        var access = x.AddElement("field").SetAttribute("var", AccessField).SetAttribute("type", "list-single").SetAttribute("label", "Who may subscribe and retrieve items");
        foreach (var option in new[] { "open", "presence", "whitelist" })
        {
            access.AddElement("option").AddElement("value").AddText(option);
        }

        access.AddElement("value").AddText(AccessModels.Name(config.Access));
        x.AddElement("field").SetAttribute("var", PersistField).SetAttribute("type", "boolean").SetAttribute("label", "Persist items to storage")
            .AddElement("value").AddText(config.PersistItems ? "1" : "0");
        x.AddElement("field").SetAttribute("var", MaxItemsField).SetAttribute("type", "text-single")
            .SetAttribute("label", $"Max number of items to persist (at most {maxItemsLimit})")
            .AddElement("value").AddText(config.MaxItems.ToString(CultureInfo.InvariantCulture));
        return x;
    }
}
