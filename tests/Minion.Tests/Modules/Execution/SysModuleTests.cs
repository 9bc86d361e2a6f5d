using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class SysModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = ModuleHarness.Builtin();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Doc_NoArgs_ReturnsEveryFunction()
    {
        var docs = (Dictionary<string, object?>)(await _harness.ReturnAsync("sys.doc"))!;
        Assert.Equal(_harness.Registry.FunctionNames.Count(), docs.Count);
        Assert.StartsWith("Execute a command", (string)docs["cmd.run"]!);
    }

    [Fact]
    public async Task Doc_Module_ReturnsOnlyItsFunctions()
    {
        var docs = (Dictionary<string, object?>)(await _harness.ReturnAsync("sys.doc", "test"))!;
        Assert.Contains("test.ping", docs.Keys);
        Assert.All(docs.Keys, k => Assert.StartsWith("test.", k));
    }

    [Fact]
    public async Task Doc_FunctionAndGlob_Select()
    {
        var docs = (Dictionary<string, object?>)(await _harness.ReturnAsync("sys.doc", "cmd.run", "test.p*"))!;
        Assert.Equal(["cmd.run", "test.ping"], docs.Keys.ToList());
    }

    [Fact]
    public async Task ListModules_ReturnsSortedNames()
    {
        var modules = ((List<object?>)(await _harness.ReturnAsync("sys.list_modules"))!).Cast<string>().ToList();
        Assert.Equal(modules.Order(StringComparer.Ordinal), modules);
        Assert.Contains("cmd", modules);
        Assert.Contains("sys", modules);
        Assert.Equal(["saltutil", "schedule", "service", "slsutil", "ssh", "state", "status", "sys", "sysctl"], ((List<object?>)(await _harness.ReturnAsync("sys.list_modules", "s*"))!).Cast<string>());
    }

    [Fact]
    public async Task ListFunctions_Module_ReturnsItsFunctions()
    {
        var functions = ((List<object?>)(await _harness.ReturnAsync("sys.list_functions", "sys"))!).Cast<string>().ToList();
        Assert.Equal(["sys.argspec", "sys.doc", "sys.list_functions", "sys.list_modules", "sys.list_runners", "sys.list_state_functions",
            "sys.list_state_modules", "sys.runner_doc", "sys.state_doc"], functions);
        var all = (List<object?>)(await _harness.ReturnAsync("sys.list_functions"))!;
        Assert.Equal(_harness.Registry.FunctionNames.Count(), all.Count);
    }

    [Fact]
    public async Task Argspec_DescribesParameters()
    {
        var spec = (Dictionary<string, object?>)((Dictionary<string, object?>)(await _harness.ReturnAsync("sys.argspec", "test.retcode"))!)["test.retcode"]!;
        Assert.Equal(new List<object?> { "code" }, spec["args"]);
        Assert.Equal(new List<object?> { 42L }, spec["defaults"]);
    }
}
