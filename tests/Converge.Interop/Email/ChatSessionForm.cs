namespace Converge.Interop.Email;

/// <summary>A XEP-0155 data form: its type (form for a request, submit for an answer) and its accept / terminate values.</summary>
internal sealed record ChatSessionForm(string? Form, string? Accept, string? Terminate);
