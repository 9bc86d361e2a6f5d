using Orchestrator.Master.Events;
using Orchestrator.Master.Pillar.GitPillar;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Gitfs;

/// <summary>
/// Scenario: <c>git_pillar_update_interval: 1</c>. A push reaches the master without anyone running
/// <c>git_pillar.update</c>: the background update fetches it and fires <c>salt/git_pillar/update</c> with
/// <c>changed: true</c>; after a pillar refresh the minion has the new value.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GitPillarIntervalTests : IAsyncLifetime
{
    private readonly BareGitRepo _repo = new();
    private TestCluster _cluster = null!;

    private static Dictionary<string, string> Tree(string value) => new(StringComparer.Ordinal)
    {
        ["top.sls"] = "base:\n  '*':\n    - app\n",
        ["app.sls"] = $"release: {value}\n",
    };

    public async Task InitializeAsync()
    {
        _repo.Commit("master", Tree("first"));
        _cluster = await TestCluster.StartAsync(o => o.GitPillar = new GitPillarOptions
        {
            Remotes = [new GitPillarRemote($"master {_repo.Url}", _repo.Url, "master", "base", "")],
            UpdateInterval = TimeSpan.FromSeconds(1),
        });
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task APush_IsFetchedByTheBackgroundUpdate_WhichFiresItsEvent()
    {
        using var updates = _cluster.MasterService<EventBus>().Subscribe(tag => tag == GitPillarUpdateService.UpdateTag);
        _repo.Commit("master", Tree("second"));

        MasterEvent fired;
        do
        {
            fired = await TestCluster.WaitForEventAsync(updates, "a background git_pillar update that saw the push", TimeSpan.FromSeconds(60));
        }
        while (fired.Data["changed"] is not true);

        Assert.Equal("git_pillar", fired.Data["backend"]);
        var remote = (Dictionary<string, object?>)((Dictionary<string, object?>)fired.Data["remotes"]!)[$"master {_repo.Url}"]!;
        Assert.Equal(true, remote["result"]);
        var refreshed = await _cluster.CliAsync("--out", "json", "--static", "web1", "saltutil.refresh_pillar");
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        var release = await _cluster.CliAsync("--out", "json", "--static", "web1", "pillar.get", "release");
        Assert.Equal("second", ((Dictionary<string, object?>)DataTree.FromJson(release.Stdout)!)["web1"]);
    }
}
