using Orchestrator.Master.Pillar.GitPillar;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a master with <c>ext_pillar: - git:</c> on a bare repository whose top file gives <c>key</c> to web1 only.
/// The master fetches it as it starts; after a new commit, <c>orch run git_pillar.update</c> and a pillar refresh,
/// <c>orch web1 pillar.get key</c> shows the new value and web2 gets nothing; <c>cache.clear_git_lock git_pillar</c> reports there was no lock to remove.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GitPillarTests : IAsyncLifetime
{
    private readonly BareGitRepo _repo = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _repo.Commit("master", new Dictionary<string, string>
        {
            ["top.sls"] = "base:\n  'web1':\n    - secret\n",
            ["secret.sls"] = "key: from-git-pillar\n",
        });
        _cluster = await TestCluster.StartAsync(o => o.GitPillar = new GitPillarOptions
        {
            Remotes = [new GitPillarRemote($"master {_repo.Url}", _repo.Url, "master", "base", "")],
        });
        await _cluster.AddMinionAsync("web1");
        await _cluster.AddMinionAsync("web2");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task PillarGet_ShowsTheGitPillarValue_OnlyOnTheMinionTheTopTargets()
    {
        // Fetched as the master started: the first pillar web1 got already has it.
        var first = await _cluster.CliAsync("--out", "json", "--static", "web1", "pillar.get", "key");
        Assert.Equal("from-git-pillar", ((Dictionary<string, object?>)DataTree.FromJson(first.Stdout)!)["web1"]);
        _repo.Commit("master", new Dictionary<string, string>
        {
            ["top.sls"] = "base:\n  'web1':\n    - secret\n",
            ["secret.sls"] = "key: second-commit\n",
        });
        var update = await _cluster.CliVerbAsync("run", "--out", "json", "git_pillar.update");
        Assert.True(update.ExitCode == 0, update.ToString());
        var remote = (Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(update.Stdout)!)[$"master {_repo.Url}"]!;
        Assert.Equal(true, remote["result"]);
        var refreshed = await _cluster.CliAsync("--out", "json", "--static", "web*", "saltutil.refresh_pillar");
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());

        var web1 = await _cluster.CliAsync("--out", "json", "--static", "web1", "pillar.get", "key");
        var web2 = await _cluster.CliAsync("--out", "json", "--static", "web2", "pillar.get", "key");

        Assert.True(web1.ExitCode == 0, web1.ToString());
        Assert.Equal("second-commit", ((Dictionary<string, object?>)DataTree.FromJson(web1.Stdout)!)["web1"]);
        Assert.Equal("", ((Dictionary<string, object?>)DataTree.FromJson(web2.Stdout)!)["web2"]);
        var locks = await _cluster.CliVerbAsync("run", "--out", "json", "cache.clear_git_lock", "git_pillar", "type=update");
        Assert.True(locks.ExitCode == 0, locks.ToString());
        Assert.Equal("No locks were removed", DataTree.FromJson(locks.Stdout));
    }
}
