namespace Orchestrator.Integration.Tests.Api;

/// <summary>One <see cref="ApiCluster"/> (three minions) shared by the tests of a class, with an admin token.</summary>
public sealed class ApiClusterFixture : IAsyncLifetime
{
    public ApiCluster Api { get; private set; } = null!;

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Api = await ApiCluster.StartAsync();
        AdminToken = await Api.LoginAsync("admin");
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}
