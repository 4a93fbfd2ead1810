namespace Converge.Configuration;

/// <summary>
/// The configuration as written (file + environment), before validation. Values that need parsing
/// (endpoints, paths, the provider) stay strings here; <see cref="ConfigurationValidator"/> turns them
/// into <see cref="ConvergeSettings"/> or refuses them naming the key.
/// </summary>
internal sealed class ConvergeOptions
{
    public string Domain { get; set; } = "localhost";

    public string DataDirectory { get; set; } = "./data";

    public ListenersOptions Listeners { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public ClusterOptions Cluster { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public ArchiveOptions Archive { get; set; } = new();

    public GroupChatOptions GroupChat { get; set; } = new();
    public UploadOptions Upload { get; set; } = new();

    public WebChatOptions WebChat { get; set; } = new();

    /// <summary>The <c>Push</c> section: push notifications (XEP-0357).</summary>
    public Xmpp.Push.PushSettings Push { get; set; } = new();
}
