using Converge.Xmpp.Pep;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Pep;

public sealed class NodeConfigFormTests
{
    private static readonly PepLimits Limits = new() { MaxItemsPerNode = 50 };

    private static XmlElement Form(params (string Var, string Value)[] fields)
    {
        var x = new XmlElement("x", "jabber:x:data").SetAttribute("type", "submit");
        x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText("http://jabber.org/protocol/pubsub#publish-options");
        foreach (var (name, value) in fields)
        {
            x.AddElement("field").SetAttribute("var", name).AddElement("value").AddText(value);
        }

        return x;
    }

    [Fact]
    public void Publish_options_configure_a_new_node_and_max_means_the_configured_limit()
    {
        var form = NodeConfigForm.Parse(Form(("pubsub#access_model", "whitelist"), ("pubsub#persist_items", "true"), ("pubsub#max_items", "max")), Limits, out var error);

        Assert.Null(error);
        Assert.Equal(new PepNodeConfig(AccessModel.Whitelist, true, 50), form!.Apply(PepNodeConfig.Default));
    }

    [Fact]
    public void Options_that_differ_from_the_node_do_not_match_and_absent_options_do()
    {
        var node = new PepNodeConfig(AccessModel.Open, true, 1);

        Assert.False(NodeConfigForm.Parse(Form(("pubsub#access_model", "presence")), Limits, out _)!.Matches(node));
        Assert.False(NodeConfigForm.Parse(Form(("pubsub#max_items", "2")), Limits, out _)!.Matches(node));
        Assert.True(NodeConfigForm.Parse(Form(("pubsub#access_model", "open"), ("pubsub#persist_items", "1")), Limits, out _)!.Matches(node));
        Assert.True(NodeConfigForm.Empty.Matches(node));
    }

    [Fact]
    public void Options_clients_send_along_that_the_server_does_not_keep_are_accepted_and_ignored()
    {
        var form = NodeConfigForm.Parse(Form(("pubsub#send_last_published_item", "never"), ("pubsub#notify_retract", "1")), Limits, out var error);

        Assert.Null(error);
        Assert.True(form!.Matches(new PepNodeConfig(AccessModel.Presence, false, 3)));
    }

    [Theory]
    [InlineData("pubsub#access_model", "roster")]
    [InlineData("pubsub#persist_items", "maybe")]
    [InlineData("pubsub#max_items", "0")]
    [InlineData("pubsub#max_items", "-3")]
    public void Malformed_values_are_refused_with_a_reason(string name, string value)
    {
        Assert.Null(NodeConfigForm.Parse(Form((name, value)), Limits, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_max_items_above_the_limit_is_cut_to_the_limit()
    {
        Assert.Equal(50, NodeConfigForm.Parse(Form(("pubsub#max_items", "100000")), Limits, out _)!.MaxItems);
    }

    [Fact]
    public void A_node_keeps_at_most_max_items_newest_last_and_a_republished_id_moves_to_newest()
    {
        var node = new PepNode("n", new PepNodeConfig(AccessModel.Presence, true, 2));
        var payload = new XmlElement("p", "urn:p");

        node.Put(new PepItem("a", 1, payload));
        node.Put(new PepItem("b", 2, payload));
        node.Put(new PepItem("a", 3, payload));
        Assert.Equal(["b", "a"], node.Items.Select(i => i.Id));

        node.Put(new PepItem("c", 4, payload));
        Assert.Equal(["a", "c"], node.Items.Select(i => i.Id));
        Assert.Equal("c", node.Last!.Id);
    }
}
