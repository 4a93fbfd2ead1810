namespace Converge.Xmpp.Xml;

/// <summary>Character data, unescaped.</summary>
public sealed class XmlText(string value) : XmlNode
{
    public string Value { get; } = value;

    public override XmlNode DeepClone() => this; // immutable
}
