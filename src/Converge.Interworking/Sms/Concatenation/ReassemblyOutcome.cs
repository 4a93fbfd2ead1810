namespace Converge.Interworking.Sms.Concatenation;

internal enum ReassemblyOutcome
{
    /// <summary>The part is kept; more are awaited.</summary>
    Pending,

    /// <summary>Every part is there: <see cref="ReassemblyResult.Message"/> is the whole text.</summary>
    Complete,

    /// <summary>A part already held, or one of a message already handed over: nothing to do.</summary>
    Duplicate,
}
