using System.Text;
using Converge.Cli;
using Converge.Core.Addressing;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Sasl;

namespace Converge.Tests.Cli;

public sealed class UserImportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConvergeCli _cli;

    public UserImportTests() => _cli = new ConvergeCli(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_thousand_lines_are_imported_with_progress_and_every_user_can_log_in_with_their_password()
    {
        var csv = new StringBuilder("jid,password,msisdn,email\n");
        for (var i = 0; i < 2000; i++)
        {
            csv.Append(FormattableString.Invariant($"user{i}@a.example,pw-{i},+49151{i:D7},user{i}@mail.example\n"));
        }

        var file = _dir.Write("users.csv", csv.ToString());

        var import = await _cli.RunAsync("user", "import", file);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Matches(@"^imported 2000 users, 0 lines refused, in \d+\.\d s$", import.OutputLines[^1]);
        Assert.Contains("2000/2000", import.Error, StringComparison.Ordinal);
        await using var stores = await SqliteStores.OpenAsync(Path.Combine(_cli.DataDirectory, "converge.db"), new SqliteStoreOptions());
        var accounts = await stores.Accounts.ListAsync();
        Assert.Equal(2000, accounts.Count);
        var user1234 = await stores.Accounts.FindAsync(Jid.Parse("user1234@a.example"));
        Assert.NotNull(user1234);
        Assert.Equal(("+491510001234", "user1234@mail.example"), (user1234.Msisdn, user1234.Email));
        Assert.True(ScramCredentials.VerifyPassword(user1234.CredentialFor("SHA-256")!, "pw-1234"));
        Assert.False(ScramCredentials.VerifyPassword(user1234.CredentialFor("SHA-256")!, "pw-1235"));
    }

    [Fact]
    public async Task Bad_lines_are_reported_by_number_and_skipped_while_the_good_ones_are_imported()
    {
        await _cli.RunAsync("user", "add", "erin", "--password", "pw");
        var file = _dir.Write("users.csv", "alice,\"pass,with\"\"comma\"\n\nbob\ncarol,pw,not-a-number\nerin,again\ndave,pw\n");

        var import = await _cli.RunAsync("user", "import", file);

        Assert.Equal(1, import.ExitCode);
        Assert.StartsWith("imported 2 users, 3 lines refused, in ", import.OutputLines[^1], StringComparison.Ordinal);
        var errors = import.Error.Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["line 3:", "line 4:", "line 5:"], errors.Select(l => l[..7]));
        Assert.Contains("already exists", errors[2], StringComparison.Ordinal);
        await using var stores = await SqliteStores.OpenAsync(Path.Combine(_cli.DataDirectory, "converge.db"), new SqliteStoreOptions());
        var alice = await stores.Accounts.FindAsync(Jid.Parse("alice@a.example"));
        Assert.True(ScramCredentials.VerifyPassword(alice!.CredentialFor("SHA-256")!, "pass,with\"comma"));
        Assert.NotNull(await stores.Accounts.FindAsync(Jid.Parse("dave@a.example")));
    }

    [Theory]
    [InlineData("jid,password", true)]
    [InlineData("JID,Password,MSISDN,Email", true)]
    [InlineData("\uFEFFjid,password", true)]
    [InlineData("jidda,secret", false)]
    [InlineData("alice,secret", false)]
    public void A_header_is_recognised_by_its_first_field(string line, bool header) =>
        Assert.Equal(header, UserImportLine.IsHeader(line));

    [Theory]
    [InlineData("a,b", new[] { "a", "b" })]
    [InlineData("a,\"b,c\",+1,e@x", new[] { "a", "b,c", "+1", "e@x" })]
    [InlineData("a,\"say \"\"hi\"\"\"", new[] { "a", "say \"hi\"" })]
    public void Lines_split_into_fields_with_quotes(string line, string[] fields) =>
        Assert.Equal(fields, UserImportLine.Split(line, out _));

    [Theory]
    [InlineData("a")]
    [InlineData(",pw")]
    [InlineData("a,")]
    [InlineData("a,b,c,d,e")]
    [InlineData("a,\"unclosed")]
    public void Malformed_lines_are_refused_with_a_reason(string line)
    {
        Assert.Null(UserImportLine.Split(line, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void An_overlong_line_is_refused_before_it_is_parsed() =>
        Assert.Null(UserImportLine.Split("a," + new string('x', UserImportLine.MaxLineLength), out _));
}
