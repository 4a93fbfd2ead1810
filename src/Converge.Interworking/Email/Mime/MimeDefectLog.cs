namespace Converge.Interworking.Email;

/// <summary>Collects the defects of one read; in strict mode the first one throws.</summary>
internal sealed class MimeDefectLog(MimeParsingMode mode)
{
    public MimeDefects Defects { get; private set; }

    public bool IsStrict => mode == MimeParsingMode.Strict;

    public void Flag(MimeDefects defect, string detail)
    {
        if (IsStrict)
        {
            throw new MimeParseException(defect, detail);
        }

        Defects |= defect;
    }

    /// <summary>A log that only collects, for decoding header values outside a parse.</summary>
    public static MimeDefectLog Lenient() => new(MimeParsingMode.Lenient);
}
