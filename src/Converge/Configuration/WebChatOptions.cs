namespace Converge.Configuration;

/// <summary>The <c>WebChat</c> section: the browser chat client (Converse.js) served at <c>/</c>.</summary>
internal sealed class WebChatOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Where the operator ran <c>npm install converse.js</c>; empty: <c>&lt;DataDirectory&gt;/webchat</c>.</summary>
    public string Path { get; set; } = "";
}
