using Converge.Interop.Sms;

namespace Converge.Interop.Trust;

/// <summary>
/// What a hostile stanza's sender got back, and the waits of the trust tests: how long a refusal may
/// take, and how long "nothing arrived" is watched for after it.
/// </summary>
internal static class Refusal
{
    /// <summary>How long the error to a local sender may take to come back.</summary>
    public static readonly TimeSpan ErrorWait = TimeSpan.FromSeconds(5);

    /// <summary>How long the error to a peer's user may take: the links both ways may have to be set up first (TLS, dialback).</summary>
    public static readonly TimeSpan PeerErrorWait = TimeSpan.FromSeconds(10);

    /// <summary>How long an SMSC, a relay or a client is watched after a refusal for something that should never come.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    /// <summary>How long an allowed message (a positive control) may take, a new server-to-server link included.</summary>
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    public const string BlockingErrors = "{urn:xmpp:blocking:errors}blocked";

    /// <summary>The error answering the message <paramref name="id"/> that <paramref name="sender"/> sent, or null if none came within <paramref name="wait"/> (<see cref="ErrorWait"/>).</summary>
    public static Task<ClientMessage?> AnswerToAsync(CpmClient sender, string id, TimeSpan? wait = null) =>
        sender.TryMessageAsync(m => m.Type == "error" && m.Id == id, wait ?? ErrorWait);

    /// <summary>
    /// Null when <paramref name="answer"/> is the error wanted, else what is wrong with it, for a failure message.
    /// <paramref name="type"/> null: any error type; <paramref name="app"/>: the application-specific condition wanted too.
    /// </summary>
    public static string? Unless(ClientMessage? answer, string condition, string? type = "cancel", string? app = null)
    {
        var wanted = $"{condition}/{type ?? "any type"}{(app is null ? "" : " with " + app)}";
        if (answer?.Error is not { } error)
        {
            return $"no error came back (wanted {wanted})";
        }

        return error.Condition == condition && (type is null || error.Type == type) && (app is null || error.App == app)
            ? null
            : $"the error was {error.Condition}/{error.Type} app={error.App ?? "none"} text='{error.Text}', wanted {wanted}";
    }

    /// <summary>Fails naming every problem found (null entries are no problem), with the world's logs.</summary>
    public static void NoProblems(Func<string> context, params (string What, string? Problem)[] checks)
    {
        var problems = checks.Where(c => c.Problem is not null).Select(c => $"- {c.What}: {c.Problem}").ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} of {checks.Length} trust checks failed:\n{string.Join('\n', problems)}\n{context()}");
    }
}
