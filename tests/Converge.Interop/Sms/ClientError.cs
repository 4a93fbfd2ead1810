namespace Converge.Interop.Sms;

/// <summary>The &lt;error/&gt; of a message stanza: its defined condition, text and type.</summary>
internal sealed record ClientError(string? Condition, string? Text, string? Type);
