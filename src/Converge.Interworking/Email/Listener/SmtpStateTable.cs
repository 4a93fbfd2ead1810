using System.Collections.Frozen;

namespace Converge.Interworking.Email;

/// <summary>
/// Which command is allowed in which state and the state it leads to when it succeeds (a failed
/// command leaves the state as it was). A command missing from a state's row gets 503.
/// </summary>
internal static class SmtpStateTable
{
    private static readonly FrozenDictionary<SmtpState, FrozenDictionary<SmtpVerb, SmtpState>> Table =
        new Dictionary<SmtpState, FrozenDictionary<SmtpVerb, SmtpState>>
        {
            [SmtpState.Connected] = Row(SmtpState.Connected, []),
            [SmtpState.Identified] = Row(SmtpState.Identified, new()
            {
                [SmtpVerb.Mail] = SmtpState.MailFrom,
                [SmtpVerb.StartTls] = SmtpState.Connected, // RFC 3207 §4.2: as if the connection had just been opened
            }),
            [SmtpState.MailFrom] = Row(SmtpState.MailFrom, new()
            {
                [SmtpVerb.Rcpt] = SmtpState.Recipients,
                [SmtpVerb.Data] = SmtpState.Identified, // answered 554 "no valid recipients" by the command
            }),
            [SmtpState.Recipients] = Row(SmtpState.Recipients, new()
            {
                [SmtpVerb.Rcpt] = SmtpState.Recipients,
                [SmtpVerb.Data] = SmtpState.Identified, // the reply to the final dot ends the transaction either way
            }),
        }.ToFrozenDictionary();

    public static bool TryGetNext(SmtpState state, SmtpVerb verb, out SmtpState next) =>
        Table[state].TryGetValue(verb, out next);

    // Every state allows EHLO/HELO (a new session), RSET (end the transaction), NOOP, VRFY and QUIT.
    private static FrozenDictionary<SmtpVerb, SmtpState> Row(SmtpState state, Dictionary<SmtpVerb, SmtpState> specific)
    {
        var row = new Dictionary<SmtpVerb, SmtpState>(specific)
        {
            [SmtpVerb.Ehlo] = SmtpState.Identified,
            [SmtpVerb.Helo] = SmtpState.Identified,
            [SmtpVerb.Rset] = state == SmtpState.Connected ? SmtpState.Connected : SmtpState.Identified,
            [SmtpVerb.Noop] = state,
            [SmtpVerb.Vrfy] = state,
            [SmtpVerb.Quit] = state,
        };
        return row.ToFrozenDictionary();
    }
}
