namespace Converge.Interworking.Email;

/// <summary>How a <see cref="MimeParser"/> treats input that breaks the RFCs.</summary>
public enum MimeParsingMode
{
    /// <summary>Read real-world mail: tolerate what can be understood and flag it in <see cref="MailMessage.Defects"/>.</summary>
    Lenient,

    /// <summary>Refuse the first defect with a <see cref="MimeParseException"/>.</summary>
    Strict,
}
