namespace Converge.Interworking.Email;

/// <summary>A message the parser refused: a defect in strict mode, or a limit that cannot be tolerated.</summary>
public sealed class MimeParseException : Exception
{
    public MimeParseException()
    {
    }

    public MimeParseException(string message)
        : base(message)
    {
    }

    public MimeParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MimeParseException(MimeDefects defect, string message)
        : base(message)
    {
        Defect = defect;
    }

    /// <summary>The named reason for the refusal.</summary>
    public MimeDefects Defect { get; }
}
