namespace Converge.Configuration;

/// <summary>The <c>WebChat</c> section: the browser chat client (Converse.js) served at <c>/</c>.</summary>
internal sealed class WebChatOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Where the operator ran <c>npm install converse.js</c>; empty: <c>&lt;DataDirectory&gt;/webchat</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// Install Converse.js into <see cref="Path"/> with npm at start-up when it is missing and npm is on
    /// the PATH, so the README's first command gives a working web chat; off for operators who install
    /// it themselves (or whose servers may not reach a package registry).
    /// </summary>
    public bool AutoInstall { get; set; } = true;
}
