namespace Converge.Xmpp.Xml;

/// <summary>A child of an element: an <see cref="XmlElement"/> or an <see cref="XmlText"/>.</summary>
public abstract class XmlNode
{
    public abstract XmlNode DeepClone();
}
