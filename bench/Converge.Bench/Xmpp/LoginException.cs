namespace Converge.Bench.Xmpp;

/// <summary>A login the server refused or broke off, with the step and what the server said.</summary>
internal sealed class LoginException(string message) : Exception(message)
{
    public LoginException()
        : this("login failed")
    {
    }

    public LoginException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}
