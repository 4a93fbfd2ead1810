using System.Text;
using Converge.Cli;
using Converge.Core.Addressing;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Sasl;

namespace Converge.Tests.Cli;

public sealed class UserCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConvergeCli _cli;

    public UserCommandTests() => _cli = new ConvergeCli(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Added_users_are_listed_with_their_normalised_number_and_attributes()
    {
        var alice = await _cli.RunAsync("user", "add", "alice@a.example", "--password", "pw", "--msisdn", "+49 151 1234-5678", "--email", "alice@mail.example");
        var bob = await _cli.RunAsync("user", "add", "bob", "--password", "pw", "--cpm", "false");

        var list = await _cli.RunAsync("user", "list");

        Assert.Equal((0, "added alice@a.example"), (alice.ExitCode, alice.Output.Trim()));
        Assert.Equal((0, "added bob@a.example"), (bob.ExitCode, bob.Output.Trim()));
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(
            [
                ["jid", "msisdn", "email", "cpm", "roaming-cpm", "locked"],
                ["alice@a.example", "+4915112345678", "alice@mail.example", "true", "true", "false"],
                ["bob@a.example", "-", "-", "false", "true", "false"],
            ],
            list.OutputLines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Set_changes_only_what_it_is_given_and_an_empty_value_removes_a_number()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "pw", "--msisdn", "+4915112345678", "--email", "a@mail.example");

        var set = await _cli.RunAsync("user", "set", "alice", "--roaming-cpm", "false", "--msisdn", "");

        Assert.Equal((0, "updated alice@a.example"), (set.ExitCode, set.Output.Trim()));
        var list = await _cli.RunAsync("user", "list");
        Assert.Equal(["alice@a.example", "-", "a@mail.example", "true", "false", "false"], list.OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Lock_and_unlock_are_stored_and_listed_and_exclude_each_other()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "pw");

        var locked = await _cli.RunAsync("user", "set", "alice", "--lock");
        Assert.Equal((0, "updated alice@a.example"), (locked.ExitCode, locked.Output.Trim()));
        Assert.True((await FindAsync("alice@a.example")).Locked);
        Assert.Equal("true", (await _cli.RunAsync("user", "list")).OutputLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);

        var both = await _cli.RunAsync("user", "set", "alice", "--lock", "--unlock");
        Assert.NotEqual(0, both.ExitCode);
        Assert.True((await FindAsync("alice@a.example")).Locked);

        var unlocked = await _cli.RunAsync("user", "set", "alice", "--unlock");
        Assert.Equal(0, unlocked.ExitCode);
        Assert.False((await FindAsync("alice@a.example")).Locked);
    }

    [Fact]
    public async Task Set_password_replaces_the_credentials()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "old-password");

        var set = await _cli.RunAsync("user", "set", "alice", "--password", "new-password");

        Assert.Equal(0, set.ExitCode);
        var account = await FindAsync("alice@a.example");
        Assert.All(account.Credentials, c => Assert.True(ScramCredentials.VerifyPassword(c, "new-password")));
        Assert.All(account.Credentials, c => Assert.False(ScramCredentials.VerifyPassword(c, "old-password")));
    }

    [Fact]
    public async Task Removed_users_are_gone_and_removing_again_fails()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "pw");

        var remove = await _cli.RunAsync("user", "remove", "alice@a.example");
        var again = await _cli.RunAsync("user", "remove", "alice@a.example");

        Assert.Equal((0, "removed alice@a.example"), (remove.ExitCode, remove.Output.Trim()));
        Assert.Equal(["jid  msisdn  email  cpm  roaming-cpm  locked"], (await _cli.RunAsync("user", "list")).OutputLines);
        Assert.Equal((1, "error: user alice@a.example does not exist"), (again.ExitCode, again.ErrorLine));
    }

    [Fact]
    public async Task Adding_an_existing_user_fails_with_exit_code_1()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "pw");

        var duplicate = await _cli.RunAsync("user", "add", "Alice@A.example", "--password", "other");

        Assert.Equal((1, "error: user alice@a.example already exists"), (duplicate.ExitCode, duplicate.ErrorLine));
    }

    [Theory]
    [InlineData("user", "add", "alice", "--password", "pw", "--msisdn", "0151 12345678")]
    [InlineData("user", "add", "alice", "--password", "pw", "--msisdn", "+49 abc")]
    [InlineData("user", "add", "alice", "--password", "pw", "--email", "Alice <a@mail.example>")]
    [InlineData("user", "add", "alice@b.example", "--password", "pw")]
    [InlineData("user", "add", "alice@a.example/phone", "--password", "pw")]
    [InlineData("user", "add", "+4915112345678", "--password", "pw")]
    [InlineData("user", "add", "a b", "--password", "pw")]
    [InlineData("user", "add", "alice", "--password", "")]
    [InlineData("user", "set", "nobody", "--cpm", "false")]
    [InlineData("user", "set", "nobody")]
    public async Task A_refused_request_exits_1_with_one_error_line_and_changes_nothing(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Single((await _cli.RunAsync("user", "list")).OutputLines);
    }

    [Theory]
    [InlineData("+4915112345678", "addresses a phone number")]
    [InlineData("+alice", "addresses a phone number")]
    [InlineData("alice\\40sms", "escaped legacy address")]
    [InlineData("mybank\\40sms", "escaped legacy address")]
    [InlineData("peter\\40mail.example", "escaped legacy address")]
    [InlineData("peter\\5c40mail.example", "escaped legacy address")]
    public async Task A_localpart_in_a_legacy_sender_form_is_refused_so_no_account_can_pose_as_an_sms_or_mail_sender(string localpart, string reason)
    {
        var result = await _cli.RunAsync("user", "add", localpart, "--password", "pw");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.ErrorLine, StringComparison.Ordinal);
        Assert.Single((await _cli.RunAsync("user", "list")).OutputLines);
    }

    [Fact]
    public async Task A_bad_number_names_the_number()
    {
        var result = await _cli.RunAsync("user", "add", "alice", "--password", "pw", "--msisdn", "12345");

        Assert.StartsWith("error: '12345' is not an international number", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_already_held_by_another_user_is_refused()
    {
        await _cli.RunAsync("user", "add", "alice", "--password", "pw", "--msisdn", "+4915112345678");

        var result = await _cli.RunAsync("user", "add", "bob", "--password", "pw", "--msisdn", "0049 151 12345678");

        Assert.Equal((1, "error: +4915112345678 already belongs to alice@a.example"), (result.ExitCode, result.ErrorLine));
    }

    [Fact]
    public async Task Without_password_option_the_password_is_one_line_of_standard_input()
    {
        var result = await _cli.RunWithInputAsync("from-stdin\nignored\n", "user", "add", "alice");

        Assert.Equal(0, result.ExitCode);
        var account = await FindAsync("alice@a.example");
        Assert.All(account.Credentials, c => Assert.True(ScramCredentials.VerifyPassword(c, "from-stdin")));
    }

    [Fact]
    public async Task At_a_terminal_the_password_is_typed_twice_without_echo()
    {
        var prompts = new List<string>();
        var typed = new Queue<string>(["typed-secret", "typed-secret"]);

        var exitCode = await RunAtTerminalAsync(prompt => { prompts.Add(prompt); return typed.Dequeue(); }, "user", "add", "alice");

        Assert.Equal(0, exitCode);
        Assert.Equal(["Password for alice@a.example: ", "Repeat the password: "], prompts);
        var account = await FindAsync("alice@a.example");
        Assert.All(account.Credentials, c => Assert.True(ScramCredentials.VerifyPassword(c, "typed-secret")));
    }

    [Fact]
    public async Task At_a_terminal_two_different_passwords_are_refused()
    {
        var typed = new Queue<string>(["one", "two"]);

        var exitCode = await RunAtTerminalAsync(_ => typed.Dequeue(), "user", "add", "alice");

        Assert.Equal(1, exitCode);
        Assert.Single((await _cli.RunAsync("user", "list")).OutputLines);
    }

    [Fact]
    public async Task Without_password_and_with_empty_standard_input_add_fails()
    {
        var result = await _cli.RunWithInputAsync("", "user", "add", "alice");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no password given", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_SCRAM_credentials_are_stored_never_the_password()
    {
        const string password = "correct-horse-battery-staple-7731";
        await _cli.RunAsync("user", "add", "alice", "--password", password);
        await _cli.RunAsync("user", "set", "alice", "--password", password);

        var account = await FindAsync("alice@a.example");

        Assert.Equal(["SHA-1", "SHA-256"], account.Credentials.Select(c => c.Hash).Order());
        Assert.All(account.Credentials, c => Assert.True(ScramCredentials.VerifyPassword(c, password)));
        var needles = new[] { Encoding.UTF8.GetBytes(password), Encoding.Unicode.GetBytes(password), Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(password))) };
        var files = Directory.GetFiles(_cli.DataDirectory, "converge.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.All(needles, needle => Assert.Equal(-1, bytes.AsSpan().IndexOf(needle)));
        }
    }

    [Fact]
    public async Task A_configuration_error_exits_2_with_the_one_line_message()
    {
        _cli.Environment["CONVERGE_Storage__Provider"] = "Oracle";

        var result = await _cli.RunAsync("user", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("configuration error: Storage.Provider: 'Oracle' is not a known storage provider (available: Sqlite, Postgres)", result.ErrorLine);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Program.RunAsync(["--version"], output, error);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("0.1.0", output.ToString(), StringComparison.Ordinal);
    }

    private Task<int> RunAtTerminalAsync(Func<string, string?> readSecret, params string[] args) =>
        Program.RunAsync(
            [.. args, "--config", _cli.ConfigPath],
            new CommandLineContext { Input = TextReader.Null, Output = TextWriter.Null, Error = TextWriter.Null, InputIsTerminal = true, ReadSecret = readSecret },
            CancellationToken.None);

    private async Task<Core.Accounts.Account> FindAsync(string jid)
    {
        await using var stores = await SqliteStores.OpenAsync(Path.Combine(_cli.DataDirectory, "converge.db"));
        return await stores.Accounts.FindAsync(Jid.Parse(jid)) ?? throw new InvalidOperationException($"{jid} not stored");
    }
}
