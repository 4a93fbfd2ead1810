namespace Converge.Interworking.Sms.Concatenation;

/// <summary>What adding a part led to; <see cref="Message"/> is set when it completed a message.</summary>
internal readonly record struct ReassemblyResult(ReassemblyOutcome Outcome, ReassembledSms? Message);
