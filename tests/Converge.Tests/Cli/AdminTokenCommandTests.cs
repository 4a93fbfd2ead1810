using Converge.Admin;

namespace Converge.Tests.Cli;

/// <summary><c>converge admin token add|list|remove</c> with no server running: the token file alone.</summary>
public sealed class AdminTokenCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConvergeCli _cli;

    public AdminTokenCommandTests() => _cli = new ConvergeCli(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Add_prints_the_token_once_as_its_last_line_and_stores_only_its_hash()
    {
        var add = await _cli.RunAsync("admin", "token", "add", "grafana", "--scope", "read");

        Assert.Equal(0, add.ExitCode);
        var token = add.OutputLines[^1];
        Assert.StartsWith(OperatorTokenStore.Prefix, token, StringComparison.Ordinal);
        Assert.True(token.Length > 40, token);
        var file = await File.ReadAllTextAsync(Path.Combine(_cli.DataDirectory, OperatorTokenStore.FileName));
        Assert.DoesNotContain(token, file, StringComparison.Ordinal);
        Assert.DoesNotContain(token[OperatorTokenStore.Prefix.Length..], file, StringComparison.Ordinal);

        var store = new OperatorTokenStore(_cli.DataDirectory);
        Assert.Equal(("grafana", OperatorScope.Read), store.Find(token) is { } found ? (found.Name, found.Scope) : default);
        Assert.Null(store.Find(token + "x"));
        Assert.Null(store.Find(token[..^1]));
    }

    [Fact]
    public async Task List_shows_names_and_scopes_never_tokens_and_remove_revokes_one()
    {
        var ops = (await _cli.RunAsync("admin", "token", "add", "ops")).OutputLines[^1];
        var viewer = (await _cli.RunAsync("admin", "token", "add", "viewer", "--scope", "read")).OutputLines[^1];

        var list = await _cli.RunAsync("admin", "token", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(
            [["NAME", "SCOPE", "CREATED"], ["ops", "admin"], ["viewer", "read"]],
            list.OutputLines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(l.StartsWith("NAME", StringComparison.Ordinal) ? 3 : 2).ToArray()));
        Assert.DoesNotContain(ops, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(viewer, list.Output, StringComparison.Ordinal);

        var remove = await _cli.RunAsync("admin", "token", "remove", "ops");
        Assert.Equal((0, "removed token 'ops'"), (remove.ExitCode, remove.Output.Trim()));

        var store = new OperatorTokenStore(_cli.DataDirectory);
        Assert.Null(store.Find(ops));
        Assert.NotNull(store.Find(viewer));
        Assert.Equal(["viewer"], store.List().Select(t => t.Name));
    }

    [Fact]
    public async Task A_duplicate_name_a_bad_name_and_an_unknown_token_are_refused()
    {
        await _cli.RunAsync("admin", "token", "add", "ops");

        var duplicate = await _cli.RunAsync("admin", "token", "add", "ops");
        var badName = await _cli.RunAsync("admin", "token", "add", "has space");
        var unknown = await _cli.RunAsync("admin", "token", "remove", "nobody");
        var badScope = await _cli.RunAsync("admin", "token", "add", "x", "--scope", "root");

        Assert.Equal((1, "error: a token named 'ops' already exists"), (duplicate.ExitCode, duplicate.ErrorLine));
        Assert.Equal(1, badName.ExitCode);
        Assert.Equal((1, "error: no token named 'nobody'"), (unknown.ExitCode, unknown.ErrorLine));
        Assert.NotEqual(0, badScope.ExitCode);
        Assert.Single(new OperatorTokenStore(_cli.DataDirectory).List());
    }

    [Fact]
    public async Task A_running_server_sees_a_token_added_after_it_read_the_file()
    {
        var store = new OperatorTokenStore(_cli.DataDirectory);
        Assert.Empty(store.List());
        var first = (await _cli.RunAsync("admin", "token", "add", "first")).OutputLines[^1];
        Assert.NotNull(store.Find(first));

        var second = (await _cli.RunAsync("admin", "token", "add", "second")).OutputLines[^1];
        await _cli.RunAsync("admin", "token", "remove", "first");

        Assert.NotNull(store.Find(second));
        Assert.Null(store.Find(first));
    }
}
