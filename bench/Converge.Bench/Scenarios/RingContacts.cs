namespace Converge.Bench.Scenarios;

/// <summary>
/// Who is in whose roster for the presence scenario: the neighbours on a ring of all users,
/// i+1..i+C/2 ("forward") and i-1..i-C/2 ("backward"), so every relation is mutual.
/// </summary>
internal static class RingContacts
{
    public static IEnumerable<int> Forward(int user, int users, int contacts) => Side(user, users, contacts, +1);

    public static IEnumerable<int> Backward(int user, int users, int contacts) => Side(user, users, contacts, -1);

    public static IEnumerable<int> Of(int user, int users, int contacts) =>
        Forward(user, users, contacts).Concat(Backward(user, users, contacts));

    private static IEnumerable<int> Side(int user, int users, int contacts, int direction)
    {
        var half = Math.Min(contacts / 2, (users - 1) / 2);
        return Enumerable.Range(1, Math.Max(0, half)).Select(d => (((user + (direction * d)) % users) + users) % users);
    }
}
