namespace ImageApi.Browser.Tests;

/// <summary>One host and one browser for every browser test (starting them takes the models' load and warm-up).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<LiveHost>
{
    public const string Name = "browser";
}
