using Converge.Core.GroupChat;

namespace Converge.Core.Tests.GroupChat;

public sealed class RoomPermissionsTests
{
    private static readonly RoomConfiguration Open = new();

    [Theory]
    [InlineData(MucAffiliation.Outcast, false, false, "forbidden")]
    [InlineData(MucAffiliation.None, true, false, "registration-required")]
    [InlineData(MucAffiliation.Member, true, false, null)]
    [InlineData(MucAffiliation.None, false, false, null)]
    public void Entry_is_refused_to_outcasts_and_to_non_members_of_a_members_only_room(MucAffiliation affiliation, bool membersOnly, bool passwordMatches, string? expected) =>
        Assert.Equal(expected, RoomPermissions.RefuseEntry(affiliation, Open with { MembersOnly = membersOnly }, passwordMatches, 0, 100));

    [Fact]
    public void A_wrong_password_is_not_authorized_except_for_admins_and_owners()
    {
        var locked = Open with { Password = "s3cret" };
        Assert.Equal("not-authorized", RoomPermissions.RefuseEntry(MucAffiliation.Member, locked, passwordMatches: false, 0, 100));
        Assert.Null(RoomPermissions.RefuseEntry(MucAffiliation.Member, locked, passwordMatches: true, 0, 100));
        Assert.Null(RoomPermissions.RefuseEntry(MucAffiliation.Admin, locked, passwordMatches: false, 0, 100));
    }

    [Fact]
    public void A_full_room_refuses_participants_but_admits_admins()
    {
        var small = Open with { MaxUsers = 2 };
        Assert.Equal("service-unavailable", RoomPermissions.RefuseEntry(MucAffiliation.Member, small, true, 2, 100));
        Assert.Null(RoomPermissions.RefuseEntry(MucAffiliation.Owner, small, true, 2, 100));
        Assert.Equal("service-unavailable", RoomPermissions.RefuseEntry(MucAffiliation.None, Open with { MaxUsers = 500 }, true, 10, 10)); // the service's cap wins
    }

    [Theory]
    [InlineData(MucAffiliation.Owner, false, MucRole.Moderator)]
    [InlineData(MucAffiliation.Admin, false, MucRole.Moderator)]
    [InlineData(MucAffiliation.Member, true, MucRole.Participant)]
    [InlineData(MucAffiliation.None, false, MucRole.Participant)]
    [InlineData(MucAffiliation.None, true, MucRole.Visitor)]
    public void The_role_on_entry_follows_the_affiliation_and_moderation(MucAffiliation affiliation, bool moderated, MucRole expected) =>
        Assert.Equal(expected, RoomPermissions.RoleOnEntry(affiliation, Open with { Moderated = moderated }));

    [Fact]
    public void Visitors_cannot_speak_and_participants_change_the_subject_only_where_allowed()
    {
        Assert.False(RoomPermissions.MaySpeak(MucRole.Visitor));
        Assert.True(RoomPermissions.MaySpeak(MucRole.Participant));
        Assert.False(RoomPermissions.MayChangeSubject(MucRole.Participant, Open));
        Assert.True(RoomPermissions.MayChangeSubject(MucRole.Participant, Open with { ChangeSubject = true }));
        Assert.False(RoomPermissions.MayChangeSubject(MucRole.Visitor, Open with { ChangeSubject = true }));
        Assert.True(RoomPermissions.MayChangeSubject(MucRole.Moderator, Open));
    }

    [Fact]
    public void A_moderator_kicks_participants_but_never_an_admin_or_owner()
    {
        Assert.True(RoomPermissions.MayChangeRole(MucRole.Moderator, MucAffiliation.Member, MucAffiliation.None, MucRole.Participant, MucRole.None));
        Assert.False(RoomPermissions.MayChangeRole(MucRole.Moderator, MucAffiliation.Admin, MucAffiliation.Owner, MucRole.Moderator, MucRole.None));
        Assert.False(RoomPermissions.MayChangeRole(MucRole.Moderator, MucAffiliation.Owner, MucAffiliation.Admin, MucRole.Moderator, MucRole.None));
        Assert.False(RoomPermissions.MayChangeRole(MucRole.Participant, MucAffiliation.Member, MucAffiliation.None, MucRole.Participant, MucRole.None));
        Assert.False(RoomPermissions.MayChangeRole(MucRole.Visitor, MucAffiliation.None, MucAffiliation.None, MucRole.Participant, MucRole.None));
    }

    [Fact]
    public void Granting_moderator_is_for_admins_and_owners()
    {
        Assert.True(RoomPermissions.MayChangeRole(MucRole.Moderator, MucAffiliation.Admin, MucAffiliation.Member, MucRole.Participant, MucRole.Moderator));
        Assert.False(RoomPermissions.MayChangeRole(MucRole.Moderator, MucAffiliation.Member, MucAffiliation.None, MucRole.Participant, MucRole.Moderator));
    }

    [Theory]
    [InlineData(MucAffiliation.Admin, MucAffiliation.None, MucAffiliation.Outcast, true)]
    [InlineData(MucAffiliation.Admin, MucAffiliation.Member, MucAffiliation.None, true)]
    [InlineData(MucAffiliation.Admin, MucAffiliation.Admin, MucAffiliation.Outcast, false)]
    [InlineData(MucAffiliation.Admin, MucAffiliation.Owner, MucAffiliation.Member, false)]
    [InlineData(MucAffiliation.Admin, MucAffiliation.None, MucAffiliation.Admin, false)]
    [InlineData(MucAffiliation.Owner, MucAffiliation.Admin, MucAffiliation.Outcast, true)]
    [InlineData(MucAffiliation.Member, MucAffiliation.None, MucAffiliation.Member, false)]
    [InlineData(MucAffiliation.None, MucAffiliation.None, MucAffiliation.Outcast, false)]
    public void Admins_manage_members_and_outcasts_below_them_and_owners_everything(MucAffiliation actor, MucAffiliation target, MucAffiliation change, bool allowed) =>
        Assert.Equal(allowed, RoomPermissions.MayChangeAffiliation(actor, target, change));

    [Fact]
    public void The_archive_of_a_members_only_room_is_closed_to_non_members_and_outcasts_everywhere()
    {
        var club = Open with { MembersOnly = true };
        Assert.False(RoomPermissions.MayReadArchive(MucAffiliation.None, club, isOccupant: false));
        Assert.True(RoomPermissions.MayReadArchive(MucAffiliation.Member, club, isOccupant: false));
        Assert.True(RoomPermissions.MayReadArchive(MucAffiliation.None, Open, isOccupant: false));
        Assert.False(RoomPermissions.MayReadArchive(MucAffiliation.Outcast, Open, isOccupant: false));
    }

    [Fact]
    public void Only_owners_configure()
    {
        Assert.True(RoomPermissions.MayConfigure(MucAffiliation.Owner));
        Assert.False(RoomPermissions.MayConfigure(MucAffiliation.Admin));
    }
}
