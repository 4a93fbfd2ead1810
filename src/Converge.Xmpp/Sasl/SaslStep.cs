namespace Converge.Xmpp.Sasl;

/// <summary>
/// The result of one <see cref="ISaslServer.Evaluate"/> call. <see cref="Data"/> is raw bytes
/// (the XMPP layer base64-encodes them); <see cref="FailureCondition"/> is one of
/// <see cref="SaslFailureConditions"/>; <see cref="FailureText"/> is safe to show the client.
/// </summary>
public readonly record struct SaslStep(SaslOutcome Outcome, byte[]? Data, string? FailureCondition, string? FailureText = null)
{
    public static SaslStep Challenge(byte[] data) => new(SaslOutcome.Challenge, data, null);

    public static SaslStep Success(byte[]? additionalData) => new(SaslOutcome.Success, additionalData, null);

    public static SaslStep Failure(string condition, string? text = null) => new(SaslOutcome.Failure, null, condition, text);
}
