using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Gitfs;

/// <summary>
/// Scenario: a state run is half done when a push and <c>fileserver.update</c> change every file it reads. The run
/// finishes with the tree it started with (its later <c>salt://</c> source comes from the same commit as its first);
/// the next run gets the new tree.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GitfsConsistencyTests : IAsyncLifetime
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

    private Dictionary<string, string> Tree(string version, string output) => new(StringComparer.Ordinal)
    {
        ["run.sls"] = $"""
            first:
              file.managed:
                - name: {output}/first
                - source: salt://files/first
                - makedirs: true
            wait:
              cmd.run:
                - name: touch {output}/waiting; while [ ! -f {output}/go ]; do sleep 0.05; done
                - require:
                  - file: first
            second:
              file.managed:
                - name: {output}/second
                - source: salt://files/second
                - require:
                  - cmd: wait

            """,
        ["files/first"] = version + "\n",
        ["files/second"] = version + "\n",
    };

    [Fact]
    public async Task AnUpdateDuringAStateRun_DoesNotMixTwoTreesIntoIt()
    {
        var output = _cluster.Root.Combine("out");
        _repo.Commit("master", Tree("v1", output));
        Assert.True((await _cluster.CliVerbAsync("run", "fileserver.update")).ExitCode == 0);

        var run = _cluster.CliAsync("--out", "json", "--static", "-t", "90", "web1", "state.apply", "run");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(output, "waiting")) || run.IsCompleted, "the run waits between its two files");
        if (run.IsCompleted)
        {
            Assert.Fail("the run ended before it waited: " + await run);
        }
        _repo.Commit("master", Tree("v2", output));
        var update = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.update");
        Assert.True(update.ExitCode == 0, update.ToString());
        await File.WriteAllTextAsync(Path.Combine(output, "go"), "");

        var applied = await run;

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("v1\n", await File.ReadAllTextAsync(Path.Combine(output, "first")));
        Assert.Equal("v1\n", await File.ReadAllTextAsync(Path.Combine(output, "second")));

        File.Delete(Path.Combine(output, "waiting"));
        var next = await _cluster.CliAsync("--out", "json", "--static", "-t", "90", "web1", "state.apply", "run");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("v2\n", await File.ReadAllTextAsync(Path.Combine(output, "first")));
        Assert.Equal("v2\n", await File.ReadAllTextAsync(Path.Combine(output, "second")));
    }
}
