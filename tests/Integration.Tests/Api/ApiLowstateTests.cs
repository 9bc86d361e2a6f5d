using System.Net;
using Orchestrator.Master.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: a master with rest_api and three real minions; an admin logs in through POST /login and drives POST / with
/// every client kind, as pepper does. Answers have salt-api's shapes.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiLowstateTests : IAsyncLifetime
{
    private ApiCluster _api = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _api = await ApiCluster.StartAsync();
        _token = await _api.LoginAsync("admin");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Local_PingsEveryMinion_AsMinionToReturn()
    {
        var result = (Dictionary<string, object?>)(await _api.RunAsync(_token, new() { ["client"] = "local", ["tgt"] = "*", ["fun"] = "test.ping" }))!;

        Assert.Equal(["db1", "web1", "web2"], result.Keys.Order());
        Assert.All(result.Values, v => Assert.Equal(true, v));
    }
}
