using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the state functions and state docs a Salt user reaches for, through <c>orch call --local</c> (the real CLI and
/// minion binary) on a small tree: state.sls_id runs one ID and what its requisites need, state.test changes nothing,
/// state.show_states lists the SLS, sys.list_state_modules and sys.state_doc describe the state modules.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StateFunctionsCallTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _config;
    private readonly string _roots;

    public StateFunctionsCallTests()
    {
        _config = _dir.Combine("conf");
        _roots = _dir.Combine("roots");
        Directory.CreateDirectory(_config);
        Directory.CreateDirectory(_roots);
        File.WriteAllText(Path.Combine(_config, "minion"),
            $"id: calls1\nfile_client: local\npki_dir: {_dir.Combine("pki")}\ncachedir: {_dir.Combine("cache")}\nfile_roots:\n  base:\n    - {_roots}\n");
        File.WriteAllText(Path.Combine(_roots, "top.sls"), "base:\n  '*':\n    - app\n    - other\n");
        File.WriteAllText(Path.Combine(_roots, "app.sls"), $"""
            base_dir:
              file.directory:
                - name: {_dir.Combine("made")}
            config:
              file.managed:
                - name: {_dir.Combine("app.conf")}
                - contents: hello
                - require:
                  - file: base_dir
            unrelated:
              test.succeed_with_changes: []
            """);
        File.WriteAllText(Path.Combine(_roots, "other.sls"), "nothing:\n  test.succeed_without_changes: []\n");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<CliResult> Call(params string[] words)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(["call", "-c", _config, "--out", "json", .. words], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, object?> Local(CliResult result) =>
        Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["local"]);

    [Fact]
    public async Task SlsId_RunsTheIdAndItsRequisites_NotTheRest()
    {
        var result = await Call("state.sls_id", "config", "app");

        Assert.Equal(0, result.ExitCode);
        var states = Local(result);
        Assert.Equal(2, states.Count);
        Assert.Contains(states.Keys, k => k.StartsWith("file_|-config_|-", StringComparison.Ordinal));
        Assert.Contains(states.Keys, k => k.StartsWith("file_|-base_dir_|-", StringComparison.Ordinal));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(_dir.Combine("app.conf")));
    }

    [Fact]
    public async Task SlsId_OfAMissingId_FailsWithSaltsMessage()
    {
        var result = await Call("state.sls_id", "nope", "app");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No matches for ID 'nope' found in SLS 'app' within saltenv 'base'", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateTest_ReportsWithoutChanging()
    {
        var result = await Call("state.test", "app");

        Assert.Equal(0, result.ExitCode);
        var states = Local(result);
        Assert.All(states.Values, s => Assert.Null(((Dictionary<string, object?>)s!)["result"]));
        Assert.False(Directory.Exists(_dir.Combine("made")));
        Assert.False(File.Exists(_dir.Combine("app.conf")));
    }

    [Fact]
    public async Task ShowStates_ListsTheHighstatesSlsInOrder()
    {
        var result = await Call("state.show_states");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["app", "other"], Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["local"]));
    }

    [Fact]
    public async Task StateModulesAndTheirDocs_AreListed()
    {
        var modules = await Call("sys.list_state_modules");
        var functions = await Call("sys.list_state_functions", "file");
        var docs = await Call("sys.state_doc", "file.managed", "pkg");

        var moduleList = Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(modules.Stdout))["local"]);
        Assert.Contains("file", moduleList);
        Assert.Contains("pkg", moduleList);
        Assert.Contains("file.managed", Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(functions.Stdout))["local"]));
        var docMap = Local(docs);
        Assert.False(string.IsNullOrWhiteSpace(docMap["file.managed"] as string));
        Assert.True(docMap.ContainsKey("pkg"));
        Assert.True(docMap.ContainsKey("pkg.installed"));
        Assert.False(docMap.ContainsKey("file.absent"));
    }

    [Fact]
    public async Task OptsSayTheRunIsSaltCall_AsFormulasCheck()
    {
        var result = await Call("config.get", "__cli");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("salt-call", Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["local"]);
    }

    [Fact]
    public async Task ShowSlsPrintsAsData_AndStateApplyAsHighstate_InOrchCall()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var show = await Cli.CliApp.RunAsync(["call", "-c", _config, "state.show_sls", "other"], stdout, stderr, CancellationToken.None);
        var shown = stdout.ToString();
        stdout.GetStringBuilder().Clear();
        var test = await Cli.CliApp.RunAsync(["call", "-c", _config, "state.apply", "other", "test=True"], stdout, stderr, CancellationToken.None);

        Assert.Equal(0, show);
        Assert.Contains("succeed_without_changes", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Succeeded:", shown, StringComparison.Ordinal);
        Assert.Equal(0, test);
        Assert.Contains("Succeeded: 1", stdout.ToString(), StringComparison.Ordinal);
    }
}
