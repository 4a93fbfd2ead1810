using Converge.Configuration;
using Converge.Xmpp.GroupChat;

namespace Converge.Tests.Configuration;

public sealed class GroupChatConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Group_chat_runs_on_conference_of_the_domain_by_default_for_local_users()
    {
        var file = _dir.Write("converge.json", """{ "Domain": "a.example" }""");
        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings.GroupChat;

        Assert.True(settings.Enabled);
        Assert.Equal("conference.a.example", settings.Domain);
        Assert.Equal(RoomCreation.LocalUsers, settings.RoomCreation);
        Assert.Equal((20, 200), (settings.HistorySize, settings.MaxOccupants));
    }

    [Fact]
    public void The_keys_are_read_and_the_domain_case_folded()
    {
        var file = _dir.Write("converge.json", """
            { "Domain": "a.example",
              "GroupChat": { "Domain": "Rooms.A.Example", "RoomCreation": "anyone", "HistorySize": 0, "MaxOccupants": 30 } }
            """);
        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings.GroupChat;

        Assert.Equal("rooms.a.example", settings.Domain);
        Assert.Equal(RoomCreation.Anyone, settings.RoomCreation);
        Assert.Equal((0, 30), (settings.HistorySize, settings.MaxOccupants));
    }

    [Theory]
    [InlineData("""{ "Domain": "a.example", "GroupChat": { "Domain": "a.example" } }""", "GroupChat.Domain")]
    [InlineData("""{ "Domain": "a.example", "GroupChat": { "Domain": "search.a.example" } }""", "GroupChat.Domain")]
    [InlineData("""{ "Domain": "a.example", "GroupChat": { "RoomCreation": "Everybody" } }""", "GroupChat.RoomCreation")]
    [InlineData("""{ "Domain": "a.example", "GroupChat": { "MaxOccupants": 0 } }""", "GroupChat.MaxOccupants")]
    public void A_wrong_value_is_refused_naming_its_key(string json, string key)
    {
        var file = _dir.Write("converge.json", json);
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
