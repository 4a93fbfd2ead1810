using System.Text;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>Whole SCRAM exchanges against an independent client: who gets in, who does not, and at which step.</summary>
public sealed class ScramServerExchangeTests
{
    private const string Cbind = "p=tls-server-end-point,,";

    public static TheoryData<string, bool> Mechanisms => new()
    {
        { "SHA-1", false },
        { "SHA-256", false },
        { "SHA-1", true },
        { "SHA-256", true },
    };

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Right_password_succeeds_and_server_proves_it_knows_the_credential(string hash, bool plus)
    {
        var server = Server(hash, plus);
        var client = new TestScramClient(hash, "user", "pencil")
        {
            Gs2Header = plus ? Cbind : "n,,",
            ChannelBindingData = plus ? SaslTestAccounts.Binding.Data : [],
        };

        var first = server.Evaluate(client.ClientFirst());
        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        var final = server.Evaluate(client.ClientFinal(first.Data!));

        Assert.Equal(SaslOutcome.Success, final.Outcome);
        Assert.True(client.VerifyServerFinal(final.Data!));
        Assert.Equal("user", server.Username);
        Assert.Equal($"SCRAM-{hash}{(plus ? "-PLUS" : "")}", server.Mechanism);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Wrong_password_is_not_authorized_at_the_final_step(string hash, bool plus)
    {
        var (first, final) = Run(Server(hash, plus), new TestScramClient(hash, "user", "pencil2")
        {
            Gs2Header = plus ? Cbind : "n,,",
            ChannelBindingData = plus ? SaslTestAccounts.Binding.Data : [],
        });

        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal(SaslOutcome.Failure, final.Outcome);
        Assert.Equal("not-authorized", final.FailureCondition);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Unknown_user_gets_a_challenge_then_the_same_failure_as_a_wrong_password(string hash, bool plus)
    {
        var client = () => new TestScramClient(hash, "nobody", "pencil")
        {
            Gs2Header = plus ? Cbind : "n,,",
            ChannelBindingData = plus ? SaslTestAccounts.Binding.Data : [],
        };
        var (first, final) = Run(Server(hash, plus), client());
        var (again, _) = Run(Server(hash, plus), client());

        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal(SaslOutcome.Failure, final.Outcome);
        Assert.Equal("not-authorized", final.FailureCondition);
        Assert.Null(final.FailureText);
        Assert.Equal(Attribute(first, 's'), Attribute(again, 's')); // a stable salt, like a real account's
        Assert.Equal("4096", Attribute(first, 'i'));
    }

    [Fact]
    public void Salt_of_an_unknown_user_differs_from_user_to_user()
    {
        var (nobody, _) = Run(Server("SHA-256", false), new TestScramClient("SHA-256", "nobody", "x"));
        var (somebody, _) = Run(Server("SHA-256", false), new TestScramClient("SHA-256", "somebody", "x"));

        Assert.NotEqual(Attribute(nobody, 's'), Attribute(somebody, 's'));
    }

    [Theory]
    [InlineData("SHA-1")]
    [InlineData("SHA-256")]
    public void Channel_binding_data_of_another_connection_is_not_authorized(string hash)
    {
        var (_, final) = Run(Server(hash, plus: true), new TestScramClient(hash, "user", "pencil")
        {
            Gs2Header = Cbind,
            ChannelBindingData = [.. SaslTestAccounts.Binding.Data[..^1], 0xFF],
        });

        Assert.Equal(SaslOutcome.Failure, final.Outcome);
        Assert.Equal("not-authorized", final.FailureCondition);
        Assert.Equal("channel-bindings-dont-match", final.FailureText);
    }

    [Fact]
    public void Client_final_whose_c_does_not_repeat_the_gs2_header_is_not_authorized()
    {
        var server = Server("SHA-256", false);
        var client = new TestScramClient("SHA-256", "user", "pencil");
        var first = server.Evaluate(client.ClientFirst());

        // A client that said "n,," but claims "y,," in c= (biws is "n,,", eSws is "y,,").
        var tampered = Encoding.UTF8.GetString(client.ClientFinal(first.Data!)).Replace("c=biws", "c=eSws", StringComparison.Ordinal);
        var final = server.Evaluate(Encoding.UTF8.GetBytes(tampered));

        Assert.Equal(SaslOutcome.Failure, final.Outcome);
        Assert.Equal("not-authorized", final.FailureCondition);
    }

    [Theory]
    [InlineData("SHA-1")]
    [InlineData("SHA-256")]
    public void Client_saying_y_while_plus_was_offered_is_a_downgrade_and_not_authorized(string hash)
    {
        var server = Server(hash, plus: false, SaslTestAccounts.Binding);

        var first = server.Evaluate(new TestScramClient(hash, "user", "pencil") { Gs2Header = "y,," }.ClientFirst());

        Assert.True(server.PlusOffered);
        Assert.Equal(SaslOutcome.Failure, first.Outcome);
        Assert.Equal("not-authorized", first.FailureCondition);
    }

    [Fact]
    public void PlusOffered_can_be_set_without_handing_the_binding_to_a_non_plus_mechanism()
    {
        var server = new ScramServer("SHA-256", plus: false, SaslTestAccounts.Lookup, binding: null) { PlusOffered = true };

        var first = server.Evaluate(new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = "y,," }.ClientFirst());

        Assert.Equal("not-authorized", first.FailureCondition);
    }

    [Fact]
    public void Client_saying_y_succeeds_when_the_server_offered_no_plus()
    {
        var (_, final) = Run(Server("SHA-256", false), new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = "y,," });

        Assert.Equal(SaslOutcome.Success, final.Outcome);
    }

    [Theory]
    [InlineData("n,,")]
    [InlineData("y,,")]
    public void Plus_mechanism_without_channel_binding_is_malformed(string gs2Header)
    {
        var first = Server("SHA-256", plus: true).Evaluate(new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = gs2Header }.ClientFirst());

        Assert.Equal(SaslOutcome.Failure, first.Outcome);
        Assert.Equal("malformed-request", first.FailureCondition);
    }

    [Fact]
    public void Plus_mechanism_with_a_binding_type_the_connection_lacks_is_not_authorized()
    {
        var first = Server("SHA-256", plus: true).Evaluate(new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = "p=tls-exporter,," }.ClientFirst());

        Assert.Equal(SaslOutcome.Failure, first.Outcome);
        Assert.Equal("not-authorized", first.FailureCondition);
        Assert.Equal("unsupported-channel-binding-type", first.FailureText);
    }

    [Fact]
    public void Channel_binding_on_a_non_plus_mechanism_is_malformed()
    {
        var first = Server("SHA-256", plus: false, SaslTestAccounts.Binding).Evaluate(new TestScramClient("SHA-256", "user", "pencil") { Gs2Header = Cbind }.ClientFirst());

        Assert.Equal("malformed-request", first.FailureCondition);
    }

    [Fact]
    public void Client_final_with_another_nonce_is_not_authorized()
    {
        var server = Server("SHA-256", false);
        var client = new TestScramClient("SHA-256", "user", "pencil");
        var first = server.Evaluate(client.ClientFirst());
        var nonce = Attribute(first, 'r');

        var final = server.Evaluate(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(client.ClientFinal(first.Data!)).Replace(nonce, nonce + "x", StringComparison.Ordinal)));

        Assert.Equal("not-authorized", final.FailureCondition);
    }

    [Fact]
    public void Server_nonce_extends_the_client_nonce_with_32_random_characters()
    {
        var client = new TestScramClient("SHA-256", "user", "pencil");
        var clientFirst = Encoding.UTF8.GetString(client.ClientFirst());
        var clientNonce = clientFirst[(clientFirst.IndexOf("r=", StringComparison.Ordinal) + 2)..];

        var one = Attribute(Server("SHA-256", false).Evaluate(client.ClientFirst()), 'r');
        var two = Attribute(Server("SHA-256", false).Evaluate(client.ClientFirst()), 'r');

        Assert.StartsWith(clientNonce, one, StringComparison.Ordinal);
        Assert.Equal(clientNonce.Length + 32, one.Length);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Authzid_and_escaped_username_are_decoded()
    {
        var server = Server("SHA-256", false);

        var first = server.Evaluate("n,a=admin=2Cx=3Dy@a.example,n=us=3Der=2C1,r=abc"u8);

        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal("us=er,1", server.Username);
        Assert.Equal("admin,x=y@a.example", server.AuthorizationId);
    }

    [Fact]
    public void Empty_initial_response_gets_an_empty_challenge_and_the_exchange_goes_on()
    {
        var server = Server("SHA-256", false);
        var client = new TestScramClient("SHA-256", "user", "pencil");

        var empty = server.Evaluate([]);
        var (first, final) = Run(server, client);

        Assert.Equal(SaslOutcome.Challenge, empty.Outcome);
        Assert.Empty(empty.Data!);
        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal(SaslOutcome.Success, final.Outcome);
    }

    [Fact]
    public void A_second_empty_message_is_malformed()
    {
        var server = Server("SHA-256", false);
        server.Evaluate([]);

        Assert.Equal("malformed-request", server.Evaluate([]).FailureCondition);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Any_message_after_completion_fails(bool succeed)
    {
        var server = Server("SHA-256", false);
        var client = new TestScramClient("SHA-256", "user", succeed ? "pencil" : "wrong");
        var (_, final) = Run(server, client);
        Assert.Equal(succeed ? SaslOutcome.Success : SaslOutcome.Failure, final.Outcome);

        var after = server.Evaluate(client.ClientFirst());

        Assert.Equal(SaslOutcome.Failure, after.Outcome);
        Assert.Equal("malformed-request", after.FailureCondition);
    }

    [Fact]
    public void Plus_mechanism_needs_a_channel_binding_to_be_constructed()
    {
        Assert.Throws<ArgumentException>(() => new ScramServer("SHA-256", plus: true, SaslTestAccounts.Lookup, binding: null));
        Assert.Throws<ArgumentException>(() => new ScramServer("MD5", plus: false, SaslTestAccounts.Lookup, binding: null));
    }

    private static ScramServer Server(string hash, bool plus, ChannelBinding? binding = null) =>
        new(hash, plus, SaslTestAccounts.Lookup, plus ? SaslTestAccounts.Binding : binding);

    private static (SaslStep First, SaslStep Final) Run(ScramServer server, TestScramClient client)
    {
        var first = server.Evaluate(client.ClientFirst());
        return first.Outcome == SaslOutcome.Challenge ? (first, server.Evaluate(client.ClientFinal(first.Data!))) : (first, first);
    }

    private static string Attribute(SaslStep serverFirst, char name) =>
        Encoding.UTF8.GetString(serverFirst.Data!).Split(',').Single(a => a[0] == name)[2..];
}
