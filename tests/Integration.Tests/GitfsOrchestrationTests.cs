using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the whole tree in git. A master with <c>fileserver_backend: [gitfs]</c> and no <c>file_roots</c> runs an
/// orchestration whose SLS, and the minion SLS it applies, both come from the bare repository: the master minion reads
/// through the master's file server, as Salt's MasterMinion does.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GitfsOrchestrationTests : IAsyncLifetime
{
    private readonly BareGitRepo _repo = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(o => o.Gitfs = new GitfsOptions { Backends = ["gitfs"], Remotes = [new GitfsRemote(_repo.Url)] });
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task OrchestrationSlsFromGit_AppliesAMinionSlsFromGit()
    {
        var marker = _cluster.Root.Combine("managed", "web1");
        _repo.Commit("master", new Dictionary<string, string>
        {
            ["orch/site.sls"] = "deploy:\n  salt.state:\n    - tgt: web1\n    - sls: site\n",
            ["site.sls"] = $"site:\n  file.managed:\n    - name: {marker}\n    - contents: from git\n    - makedirs: True\n",
        });
        var update = await _cluster.CliVerbAsync("run", "fileserver.update");
        Assert.True(update.ExitCode == 0, update.ToString());

        var run = await _cluster.CliVerbAsync("run", "--out", "json", "state.orchestrate", "orch.site");

        Assert.True(run.ExitCode == 0, run.ToString());
        var step = ((Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(run.Stdout)!)[$"{_cluster.MasterOptions.Id}_master"]!)
            .Values.Cast<Dictionary<string, object?>>().Single();
        Assert.Equal("States ran successfully. Updating web1.", step["comment"]);
        Assert.Equal("from git", (await File.ReadAllTextAsync(marker)).TrimEnd());
    }
}
