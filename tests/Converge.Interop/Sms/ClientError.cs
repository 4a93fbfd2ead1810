namespace Converge.Interop.Sms;

/// <summary>The &lt;error/&gt; of a message stanza: its defined condition, text and type.</summary>
/// <param name="App">The application-specific condition as "{namespace}name" (e.g. XEP-0191's blocked), if any.</param>
internal sealed record ClientError(string? Condition, string? Text, string? Type, string? App = null);
