namespace ImageApi.Distributed.Tests;

/// <summary>Test classes that share one <see cref="DistributedFixture"/> (the hosts start once).</summary>
[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedFixture>
{
    public const string Name = "distributed";
}
