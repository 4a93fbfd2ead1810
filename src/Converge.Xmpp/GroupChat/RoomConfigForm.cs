using System.Globalization;
using Converge.Core.GroupChat;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>The muc#roomconfig data form (XEP-0045 §10.2, XEP-0004) to and from a <see cref="RoomConfiguration"/>.</summary>
internal static class RoomConfigForm
{
    public static XmlElement Build(RoomConfiguration c, int maxOccupants, int maxHistory)
    {
        var x = new XmlElement("x", Namespaces.DataForms).SetAttribute("type", "form");
        x.AddElement("title").AddText("Room configuration");
        Field(x, "FORM_TYPE", "hidden", null, MucNamespaces.RoomConfig);
        Field(x, "muc#roomconfig_roomname", "text-single", "Name", c.Name);
        Field(x, "muc#roomconfig_roomdesc", "text-single", "Description", c.Description);
        Field(x, "muc#roomconfig_persistentroom", "boolean", "Keep the room when the last occupant leaves", Bool(c.Persistent));
        Field(x, "muc#roomconfig_publicroom", "boolean", "List the room in the directory", Bool(c.Public));
        Field(x, "muc#roomconfig_membersonly", "boolean", "Only members may enter", Bool(c.MembersOnly));
        Field(x, "muc#roomconfig_passwordprotectedroom", "boolean", "A password is needed to enter", Bool(c.PasswordProtected));
        Field(x, "muc#roomconfig_roomsecret", "text-private", "Password", c.Password ?? "");
        Field(x, "muc#roomconfig_moderatedroom", "boolean", "Only participants may speak (moderated)", Bool(c.Moderated));
        var whois = Field(x, "muc#roomconfig_whois", "list-single", "Who may see real addresses", c.Whois);
        whois.AddElement("option").SetAttribute("label", "Moderators").AddElement("value").AddText("moderators");
        whois.AddElement("option").SetAttribute("label", "Anyone").AddElement("value").AddText("anyone");
        Field(x, "muc#roomconfig_maxusers", "text-single", $"Most occupants (up to {maxOccupants})", Number(c.MaxUsers));
        Field(x, "muc#maxhistoryfetch", "text-single", $"Messages of history (up to {maxHistory})", Number(c.HistorySize));
        Field(x, "muc#roomconfig_changesubject", "boolean", "Participants may change the subject", Bool(c.ChangeSubject));
        Field(x, "muc#roomconfig_allowinvites", "boolean", "Participants may invite", Bool(c.AllowInvites));
        Field(x, "muc#roomconfig_enablearchiving", "boolean", "Archive messages (XEP-0313)", Bool(c.Archived));
        return x;
    }

    /// <summary>
    /// Applies a submitted form to the current configuration: fields not submitted keep their value,
    /// numbers are capped by the service's limits. Returns false with a reason for a malformed field.
    /// </summary>
    public static bool TryApply(XmlElement form, RoomConfiguration current, int maxOccupants, int maxHistory, out RoomConfiguration result, out string? problem)
    {
        result = current;
        problem = null;
        var passwordProtected = current.PasswordProtected;
        var password = current.Password;
        foreach (var field in form.Elements("field", Namespaces.DataForms))
        {
            var value = field.ChildText("value", Namespaces.DataForms) ?? "";
            switch (field.GetAttribute("var"))
            {
                case "FORM_TYPE" when value != MucNamespaces.RoomConfig:
                    problem = "FORM_TYPE must be " + MucNamespaces.RoomConfig;
                    return false;
                case "muc#roomconfig_roomname":
                    result = result with { Name = Cap(value, 200) };
                    break;
                case "muc#roomconfig_roomdesc":
                    result = result with { Description = Cap(value, 1000) };
                    break;
                case "muc#roomconfig_persistentroom":
                    result = result with { Persistent = IsTrue(value) };
                    break;
                case "muc#roomconfig_publicroom":
                    result = result with { Public = IsTrue(value) };
                    break;
                case "muc#roomconfig_membersonly":
                    result = result with { MembersOnly = IsTrue(value) };
                    break;
                case "muc#roomconfig_passwordprotectedroom":
                    passwordProtected = IsTrue(value);
                    break;
                case "muc#roomconfig_roomsecret":
                    password = Cap(value, 200);
                    break;
                case "muc#roomconfig_moderatedroom":
                    result = result with { Moderated = IsTrue(value) };
                    break;
                case "muc#roomconfig_whois" when value is "moderators" or "anyone":
                    result = result with { Whois = value };
                    break;
                case "muc#roomconfig_whois":
                    problem = "muc#roomconfig_whois must be moderators or anyone";
                    return false;
                case "muc#roomconfig_maxusers":
                    if (!TryNumber(value, out var users))
                    {
                        problem = "muc#roomconfig_maxusers must be a number";
                        return false;
                    }

                    result = result with { MaxUsers = users == 0 ? maxOccupants : Math.Min(users, maxOccupants) };
                    break;
                case "muc#maxhistoryfetch":
                    if (!TryNumber(value, out var history))
                    {
                        problem = "muc#maxhistoryfetch must be a number";
                        return false;
                    }

                    result = result with { HistorySize = Math.Min(history, maxHistory) };
                    break;
                case "muc#roomconfig_changesubject":
                    result = result with { ChangeSubject = IsTrue(value) };
                    break;
                case "muc#roomconfig_allowinvites":
                    result = result with { AllowInvites = IsTrue(value) };
                    break;
                case "muc#roomconfig_enablearchiving":
                    result = result with { Archived = IsTrue(value) };
                    break;
            }
        }

        if (passwordProtected && string.IsNullOrEmpty(password))
        {
            problem = "A password-protected room needs muc#roomconfig_roomsecret";
            return false;
        }

        result = result with { Password = passwordProtected ? password : null };
        return true;
    }

    private static XmlElement Field(XmlElement x, string name, string type, string? label, string value)
    {
        var field = x.AddElement("field").SetAttribute("var", name).SetAttribute("type", type);
        if (label is not null)
        {
            field.SetAttribute("label", label);
        }

        field.AddElement("value").AddText(value);
        return field;
    }

    private static string Bool(bool b) => b ? "1" : "0";

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static bool IsTrue(string value) => value is "1" or "true";

    private static bool TryNumber(string value, out int n) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= 0;

    private static string Cap(string value, int length) => value.Length <= length ? value : value[..length];
}
