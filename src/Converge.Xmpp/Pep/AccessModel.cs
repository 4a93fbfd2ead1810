namespace Converge.Xmpp.Pep;

/// <summary>Who may see a node's items and receive its events (XEP-0060 §4.5; the ones PEP clients use).</summary>
internal enum AccessModel
{
    /// <summary>Contacts with a subscription to the owner's presence ('from' or 'both'); PEP's default.</summary>
    Presence,

    /// <summary>Anyone may retrieve; events go to the owner's contacts (OMEMO device lists and bundles).</summary>
    Open,

    /// <summary>The owner only (XEP-0223 private storage, bookmarks).</summary>
    Whitelist,
}

internal static class AccessModels
{
    public static bool TryParse(string? text, out AccessModel model)
    {
        switch (text)
        {
            case "presence":
                model = AccessModel.Presence;
                return true;
            case "open":
                model = AccessModel.Open;
                return true;
            case "whitelist":
                model = AccessModel.Whitelist;
                return true;
            default:
                model = default;
                return false;
        }
    }

    public static string Name(AccessModel model) => model switch
    {
        AccessModel.Open => "open",
        AccessModel.Whitelist => "whitelist",
        _ => "presence",
    };
}
