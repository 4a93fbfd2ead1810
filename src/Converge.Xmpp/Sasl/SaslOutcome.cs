namespace Converge.Xmpp.Sasl;

/// <summary>What one SASL step tells the XMPP layer to send.</summary>
public enum SaslOutcome
{
    /// <summary>Send &lt;challenge/&gt; with <see cref="SaslStep.Data"/> and wait for a &lt;response/&gt;.</summary>
    Challenge,

    /// <summary>Send &lt;success/&gt;, with <see cref="SaslStep.Data"/> as additional data when present.</summary>
    Success,

    /// <summary>Send &lt;failure/&gt; with <see cref="SaslStep.FailureCondition"/>; the exchange is over.</summary>
    Failure,
}
