using Converge.Xmpp.Pep;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Pep;

public sealed class CapsHashTests
{
    private static XmlElement Query(string inner) =>
        XmlFragment.Parse($"<query xmlns='http://jabber.org/protocol/disco#info'>{inner}</query>", new XmlLimits())!;

    private const string SimpleFeatures = """
        <feature var='http://jabber.org/protocol/disco#items'/>
        <feature var='http://jabber.org/protocol/caps'/>
        <feature var='http://jabber.org/protocol/muc'/>
        <feature var='http://jabber.org/protocol/disco#info'/>
        """;

    [Fact]
    public void The_simple_example_of_xep_0115_section_5_2_hashes_to_its_published_ver()
    {
        var query = Query("<identity category='client' type='pc' name='Exodus 0.9.1'/>" + SimpleFeatures);

        Assert.Equal("client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<", CapsHash.VerificationString(query));
        Assert.Equal("QgayPKawpkPSDYmwT/WM94uAlu0=", CapsHash.Sha1(query));
    }

    [Fact]
    public void The_complex_example_of_xep_0115_section_5_3_with_languages_and_a_form_hashes_to_its_published_ver()
    {
        var query = Query("""
            <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
            <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
            <feature var='http://jabber.org/protocol/caps'/>
            <feature var='http://jabber.org/protocol/disco#info'/>
            <feature var='http://jabber.org/protocol/disco#items'/>
            <feature var='http://jabber.org/protocol/muc'/>
            <x xmlns='jabber:x:data' type='result'>
              <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
              <field var='ip_version'><value>ipv4</value><value>ipv6</value></field>
              <field var='os'><value>Mac</value></field>
              <field var='os_version'><value>10.5.1</value></field>
              <field var='software'><value>Psi</value></field>
              <field var='software_version'><value>0.11</value></field>
            </x>
            """);

        Assert.Equal("q07IKJEyjvHSyhy//CH0CxmKi8w=", CapsHash.Sha1(query));
        Assert.True(CapsHash.Verifies(query, "q07IKJEyjvHSyhy//CH0CxmKi8w="));
    }

    [Fact]
    public void An_answer_that_does_not_hash_to_the_advertised_ver_does_not_verify()
    {
        var query = Query("<identity category='client' type='pc' name='Exodus 0.9.1'/>" + SimpleFeatures + "<feature var='http://jabber.org/protocol/mood+notify'/>");

        Assert.False(CapsHash.Verifies(query, "QgayPKawpkPSDYmwT/WM94uAlu0="));
    }

    [Theory]
    [InlineData("<identity category='client' type='pc' name='A'/><identity category='client' type='pc' name='A'/>")]
    [InlineData("<identity category='client' type='pc'/><feature var='urn:x'/><feature var='urn:x'/>")]
    [InlineData("""
        <identity category='client' type='pc'/>
        <x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:f</value></field></x>
        <x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:f</value></field></x>
        """)]
    public void Repeated_identities_features_or_form_types_make_an_answer_malformed_section_5_4(string inner)
    {
        Assert.Null(CapsHash.VerificationString(Query(inner)));
        Assert.Null(CapsHash.Sha1(Query(inner)));
    }

    [Fact]
    public void A_form_whose_form_type_is_not_hidden_is_left_out_of_the_hash()
    {
        var withForm = Query("<identity category='client' type='pc' name='Exodus 0.9.1'/>" + SimpleFeatures
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>urn:f</value></field><field var='a'><value>b</value></field></x>");

        Assert.Equal("QgayPKawpkPSDYmwT/WM94uAlu0=", CapsHash.Sha1(withForm));
    }
}
