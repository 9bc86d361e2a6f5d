using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class CpModuleTests : IDisposable
{
    private readonly TempDir _roots = new();
    private readonly ModuleHarness _harness;

    public CpModuleTests()
    {
        foreach (var file in new[] { "top.sls", "users/init.sls", "users/files/user/alice/.vimrc", "users/sudo.sls" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_roots.Combine(file))!);
            File.WriteAllText(_roots.Combine(file), "x: 1\n");
        }
        Directory.CreateDirectory(_roots.Combine("users", "files", "user", "bob"));
        _harness = Builtin(files: new LocalFileClient(new Dictionary<string, IReadOnlyList<string>> { ["base"] = [_roots.Path] }));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _roots.Dispose();
    }

    private static List<string> Strings(object? value) => ((List<object?>)value!).Cast<string>().ToList();

    [Fact]
    public async Task ListMaster_SortedWithPrefix()
    {
        Assert.Equal(["top.sls", "users/files/user/alice/.vimrc", "users/init.sls", "users/sudo.sls"],
            Strings(await _harness.ReturnAsync("cp.list_master")));
        Assert.Equal(["users/init.sls"], Strings(await _harness.ReturnAsync("cp.list_master", [], Kw(("prefix", "/users/init")))));
    }

    [Fact]
    public async Task ListMasterDirs_IncludesEmptyDirsAndTheRoot()
    {
        Assert.Equal([".", "users", "users/files", "users/files/user", "users/files/user/alice", "users/files/user/bob"],
            Strings(await _harness.ReturnAsync("cp.list_master_dirs")));
        Assert.Equal(["users/files/user", "users/files/user/alice", "users/files/user/bob"],
            Strings(await _harness.ReturnAsync("cp.list_master_dirs", [], Kw(("prefix", "users/files/user/")))));
        Assert.Empty(Strings(await _harness.ReturnAsync("cp.list_master_dirs", [], Kw(("saltenv", "dev")))));
    }

    [Fact]
    public async Task ListStates_InitAndDottedNames() =>
        Assert.Equal(["top", "users", "users.sudo"], Strings(await _harness.ReturnAsync("cp.list_states")));

    [Fact]
    public async Task GetFileStrAndCacheFile()
    {
        Assert.Equal("x: 1\n", await _harness.ReturnAsync("cp.get_file_str", "salt://users/init.sls"));
        Assert.Equal(false, await _harness.ReturnAsync("cp.get_file_str", "salt://nope.sls"));
        Assert.Equal(_roots.Combine("top.sls"), await _harness.ReturnAsync("cp.cache_file", "salt://top.sls?saltenv=base"));
        Assert.Equal(false, (await _harness.InvokeAsync("cp.cache_file", "salt://top.sls?saltenv=dev")).Return);
    }
}
