namespace Converge.Interop.Email;

/// <summary>The &lt;error/&gt; of a message stanza: its defined condition, text and type.</summary>
internal sealed record ChatError(string? Condition, string? Text, string? Type);
