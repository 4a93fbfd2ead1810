namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// A message put back together. <see cref="MissingParts"/> is non-zero when it is delivered after
/// the reassembly timeout (or to make room) without all its parts: each missing part is then
/// shown in <see cref="Text"/> as <see cref="SmsReassembler.MissingPartMarker"/>.
/// </summary>
internal sealed record ReassembledSms(ReassemblyKey Key, string Source, string Destination, string Text, DateTimeOffset FirstReceived, int MissingParts);
