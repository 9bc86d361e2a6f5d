using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileCommentStateTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private StateTestHarness Harness() => new(_dir.Path, [new FileModule(new SystemProcessRunner(), new EtcAccountDatabase())]);

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> r) => (Dictionary<string, object?>)r["changes"]!;

    [Fact]
    public async Task Comment_TestThenReal_ThenAlreadyCommented()
    {
        var path = _dir.Combine("postgresql.conf");
        File.WriteAllText(path, "listen = '*'\nport = 5432\n");
        var h = Harness();
        var args = new Dictionary<string, object?> { ["regex"] = @"^port\s*=.+" };

        var test = await h.RunAsync("file.comment", path, args, test: true);
        Assert.Null(test["result"]);
        Assert.Equal($"File {path} is set to be updated", test["comment"]);
        Assert.Equal("updated", Changes(test)[path]);
        Assert.Equal("listen = '*'\nport = 5432\n", File.ReadAllText(path));

        var done = await h.RunAsync("file.comment", path, args);
        Assert.Equal(true, done["result"]);
        Assert.Equal("Commented lines successfully", done["comment"]);
        Assert.Equal("--- \n+++ \n@@ -1,2 +1,2 @@\n listen = '*'\n-port = 5432\n+#port = 5432\n", Changes(done)["diff"]);
        Assert.Equal("listen = '*'\n#port = 5432\n", File.ReadAllText(path));
        Assert.Equal("listen = '*'\nport = 5432\n", File.ReadAllText(path + ".bak"));

        var again = await h.RunAsync("file.comment", path, args);
        Assert.Equal(true, again["result"]);
        Assert.Equal("Pattern already commented", again["comment"]);
        Assert.Empty(Changes(again));
    }

    [Fact]
    public async Task Comment_PatternMissing_FailsUnlessIgnored()
    {
        var path = _dir.Combine("conf");
        File.WriteAllText(path, "a = 1\n");
        var h = Harness();

        var missing = await h.RunAsync("file.comment", path, new() { ["regex"] = "^b = 2$" });
        var ignored = await h.RunAsync("file.comment", path, new() { ["regex"] = "^b = 2$", ["ignore_missing"] = true });
        var noFile = await h.RunAsync("file.comment", _dir.Combine("none"), new() { ["regex"] = "x" });
        var relative = await h.RunAsync("file.comment", "relative/conf", new() { ["regex"] = "x" });

        Assert.Equal(false, missing["result"]);
        Assert.Equal("b = 2: Pattern not found", missing["comment"]);
        Assert.Equal(true, ignored["result"]);
        Assert.Equal("Pattern not found and ignore_missing set to True", ignored["comment"]);
        Assert.Equal(false, noFile["result"]);
        Assert.Equal($"{_dir.Combine("none")}: file not found", noFile["comment"]);
        Assert.Equal("Specified file relative/conf is not an absolute path", relative["comment"]);
        Assert.Equal("a = 1\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Uncomment_TestThenReal_ThenAlreadyUncommented()
    {
        var path = _dir.Combine("wsgi.load");
        File.WriteAllText(path, "# comment\n#LoadModule wsgi_module mod_wsgi.so\n");
        var h = Harness();
        var args = new Dictionary<string, object?> { ["regex"] = "LoadModule", ["backup"] = false };

        var test = await h.RunAsync("file.uncomment", path, args, test: true);
        Assert.Null(test["result"]);
        Assert.Equal($"File {path} is set to be updated", test["comment"]);

        var done = await h.RunAsync("file.uncomment", path, args);
        Assert.Equal(true, done["result"]);
        Assert.Equal("Uncommented lines successfully", done["comment"]);
        Assert.Equal("# comment\nLoadModule wsgi_module mod_wsgi.so\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".bak"));

        Assert.Equal("Pattern already uncommented", (await h.RunAsync("file.uncomment", path, args))["comment"]);
        var missing = await h.RunAsync("file.uncomment", path, new() { ["regex"] = "^Nothing" });
        Assert.Equal(false, missing["result"]);
        Assert.Equal("^Nothing: Pattern not found", missing["comment"]);
    }
}
