namespace Converge.Configuration;

/// <summary><c>Logging.Format</c>: one line of text per event, or one JSON object per event (for log shippers).</summary>
internal enum LogFormat
{
    Simple,
    Json,
}
