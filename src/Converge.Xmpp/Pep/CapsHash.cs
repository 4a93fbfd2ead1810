using System.Security.Cryptography;
using System.Text;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>
/// The XEP-0115 verification string (§5.1) of a disco#info answer and its hash, with the checks of
/// §5.4 that make an answer unusable: a repeated identity, feature or form type.
/// </summary>
internal static class CapsHash
{
    /// <summary>The verification string, or null when the answer is malformed (§5.4 steps 3.3 to 3.5).</summary>
    public static string? VerificationString(XmlElement query)
    {
        var identities = new List<(string Category, string Type, string Lang, string Name)>();
        foreach (var identity in query.Elements("identity", Namespaces.DiscoInfo))
        {
            identities.Add((identity.GetAttribute("category") ?? "", identity.GetAttribute("type") ?? "", identity.GetAttribute("xml:lang") ?? "", identity.GetAttribute("name") ?? ""));
        }

        var features = query.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var") ?? "").ToList();
        if (identities.Distinct().Count() != identities.Count || features.Distinct(StringComparer.Ordinal).Count() != features.Count)
        {
            return null;
        }

        var forms = new List<(string FormType, List<(string Var, List<string> Values)> Fields)>();
        foreach (var x in query.Elements("x", Namespaces.DataForms))
        {
            string? formType = null;
            var fields = new List<(string Var, List<string> Values)>();
            foreach (var field in x.Elements("field", Namespaces.DataForms))
            {
                var name = field.GetAttribute("var") ?? "";
                var values = field.Elements("value", Namespaces.DataForms).Select(v => v.Text).ToList();
                if (name == "FORM_TYPE")
                {
                    // §5.4 3.6: a form whose FORM_TYPE is not hidden is left out of the hash.
                    formType = field.GetAttribute("type") == "hidden" && values.Count > 0 ? values[0] : null;
                    continue;
                }

                fields.Add((name, values));
            }

            if (formType is not null)
            {
                forms.Add((formType, fields));
            }
        }

        if (forms.Select(f => f.FormType).Distinct(StringComparer.Ordinal).Count() != forms.Count)
        {
            return null;
        }

        var s = new StringBuilder();
        foreach (var (category, type, lang, name) in identities.Order(IdentityOrder.Instance))
        {
            s.Append(category).Append('/').Append(type).Append('/').Append(lang).Append('/').Append(name).Append('<');
        }

        foreach (var feature in features.Order(StringComparer.Ordinal))
        {
            s.Append(feature).Append('<');
        }

        foreach (var (formType, fields) in forms.OrderBy(f => f.FormType, StringComparer.Ordinal))
        {
            s.Append(formType).Append('<');
            foreach (var (name, values) in fields.OrderBy(f => f.Var, StringComparer.Ordinal))
            {
                s.Append(name).Append('<');
                foreach (var value in values.Order(StringComparer.Ordinal))
                {
                    s.Append(value).Append('<');
                }
            }
        }

        return s.ToString();
    }

    /// <summary>Base64 of the SHA-1 of the verification string (the only hash XEP-0115 requires).</summary>
    public static string? Sha1(XmlElement query) =>
        VerificationString(query) is { } s ? Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(s))) : null;

    /// <summary>§5.4: the answer is well formed and hashes to the advertised 'ver'.</summary>
    public static bool Verifies(XmlElement query, string ver) => Sha1(query) is { } computed && computed == ver;

    private sealed class IdentityOrder : IComparer<(string Category, string Type, string Lang, string Name)>
    {
        public static readonly IdentityOrder Instance = new();

        public int Compare((string Category, string Type, string Lang, string Name) a, (string Category, string Type, string Lang, string Name) b)
        {
            var c = string.CompareOrdinal(a.Category, b.Category);
            c = c != 0 ? c : string.CompareOrdinal(a.Type, b.Type);
            c = c != 0 ? c : string.CompareOrdinal(a.Lang, b.Lang);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        }
    }
}
