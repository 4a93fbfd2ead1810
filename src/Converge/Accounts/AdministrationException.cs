namespace Converge.Accounts;

/// <summary>An account operation refused (bad address, unknown or duplicate user). The message is one line for the operator.</summary>
internal sealed class AdministrationException(string message) : Exception(message);
