namespace Converge.Xmpp.Routing;

internal delegate ValueTask IqHandler(IqContext context);

/// <summary>Where an IQ is addressed, as far as the server is concerned.</summary>
internal enum IqTarget
{
    /// <summary>To the server's domain (disco, ping, version).</summary>
    Server,

    /// <summary>To a user's account: no 'to', or a bare JID (roster, vCard, blocking, disco of an account).</summary>
    Account,

    /// <summary>To the user directory service on search.&lt;domain&gt; (XEP-0055).</summary>
    Search,
}

/// <summary>IQ handlers keyed by target and payload (element name + namespace), as Prosody's iq-get/iq-set events.</summary>
internal sealed class IqHandlerTable
{
    private readonly Dictionary<(IqTarget, string, string), IqHandler> _handlers = [];
    private readonly List<string> _serverFeatures = [];
    private readonly List<string> _accountFeatures = [];

    public IReadOnlyList<string> ServerFeatures => _serverFeatures;

    public IReadOnlyList<string> AccountFeatures => _accountFeatures;

    /// <summary>Registers a handler (for get and set; it checks the type itself) and its disco feature.</summary>
    public void Register(IqTarget target, string name, string ns, IqHandler handler, string? feature = null)
    {
        _handlers[(target, name, ns)] = handler;
        var features = target == IqTarget.Server ? _serverFeatures : _accountFeatures;
        feature ??= ns;
        if (!features.Contains(feature))
        {
            features.Add(feature);
        }
    }

    public void AddFeature(IqTarget target, string feature)
    {
        var features = target == IqTarget.Server ? _serverFeatures : _accountFeatures;
        if (!features.Contains(feature))
        {
            features.Add(feature);
        }
    }

    /// <summary>
    /// The payload events, named as Prosody names them (<c>iq-get/bare/jabber:iq:roster:query</c>); each
    /// handler takes get and set and answers the type it does not serve itself.
    /// </summary>
    public IEnumerable<string> EventNames() =>
        _handlers.Keys
            .Select(k => $"iq-get|set/{(k.Item1 switch { IqTarget.Server => "host", IqTarget.Search => "service", _ => "bare" })}/{k.Item3}:{k.Item2}")
            .Order(StringComparer.Ordinal);

    public IqHandler? Find(IqTarget target, string name, string ns) =>
        _handlers.TryGetValue((target, name, ns), out var h) ? h : null;
}
