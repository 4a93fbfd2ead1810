namespace Converge.Interop.Email;

/// <summary>The email scenarios share one server, relay and listener and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailWorld>
{
    public const string Name = "Email world";
}
