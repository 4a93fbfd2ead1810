namespace Converge.Http.Api;

/// <summary>The body of every admin API error: a stable code and a sentence for a person.</summary>
internal sealed record ApiError(string Error, string Message);
