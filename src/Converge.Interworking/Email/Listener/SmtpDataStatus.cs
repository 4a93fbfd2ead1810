namespace Converge.Interworking.Email;

/// <summary>How reading the message data ended.</summary>
internal enum SmtpDataStatus
{
    /// <summary>The final dot arrived (the message may still be refused for its content).</summary>
    Complete,

    /// <summary>The client closed the connection first.</summary>
    ConnectionClosed,

    /// <summary>The data did not arrive within the data timeout.</summary>
    TimedOut,

    /// <summary>The client kept sending far past the size limit; the session is closed rather than read on.</summary>
    Flooded,
}
