namespace Converge.Admin;

/// <summary>Who is calling the admin API: "token:NAME" or "account:JID", for the logs of every change.</summary>
internal sealed record Operator(string Name, OperatorScope Scope);
