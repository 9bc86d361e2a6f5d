using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class FileSaltFormsTests : IDisposable
{
    private const string SetToBeChanged = "is set to be changed\nNote: No changes made, actual changes may\nbe different due to other states.";
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public FileSaltFormsTests()
    {
        Directory.CreateDirectory(_dir.Combine("roots", "files"));
        File.WriteAllText(_dir.Combine("roots", "files", "second.conf"), "second\n");
        File.WriteAllText(_dir.Combine("roots", "files", "vars.conf"), "user={{ user }} port={{ port }} extra={{ extra }}\n");
        Directory.CreateDirectory(_dir.Combine("roots", "tree", "sub"));
        File.WriteAllText(_dir.Combine("roots", "tree", "a.txt"), "a");
        File.WriteAllText(_dir.Combine("roots", "tree", "sub", "b.txt"), "b");
        _h = new StateTestHarness(_dir.Combine("roots")) { Renderer = new FakeRenderer() };
    }

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> r) => (Dictionary<string, object?>)r["changes"]!;

    [Fact]
    public async Task Managed_MissingParentInTestMode_WouldBeChanged()
    {
        var path = _dir.Combine("missing", "deeper", "f.conf");
        foreach (var makedirs in new[] { true, false })
        {
            var r = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("makedirs", makedirs)), test: true);
            Assert.Null(r["result"]);
            Assert.Equal($"The file {path} {SetToBeChanged}", r["comment"]);
            Assert.Equal(new Dictionary<string, object?> { ["newfile"] = path }, Changes(r));
        }
        Assert.False(Directory.Exists(_dir.Combine("missing")));
    }

    [Fact]
    public async Task Managed_MissingParentWithoutMakedirs_FailsWhenApplied()
    {
        var r = await _h.RunAsync("file.managed", _dir.Combine("missing", "f.conf"), Args(("contents", "x")));
        Assert.Equal(false, r["result"]);
        Assert.Equal("Parent directory not present", r["comment"]);
    }

    [Fact]
    public async Task Managed_SourceList_FirstExistingIsUsed()
    {
        var path = _dir.Combine("out.conf");
        var sources = new List<object?> { "salt://files/first.conf", "salt://files/second.conf" };
        var r = await _h.RunAsync("file.managed", path, Args(("source", sources)));
        Assert.Equal(true, r["result"]);
        Assert.Equal("second\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_SourceListNoneFound_SaltsMessage()
    {
        var sources = new List<object?> { "salt://files/first.conf", "salt://files/none.conf" };
        var r = await _h.RunAsync("file.managed", _dir.Combine("out.conf"), Args(("source", sources)), test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal("Unable to manage file: none of the specified sources were found", r["comment"]);
    }

    [Fact]
    public async Task Managed_RemoteSourceWithoutHash_CannotBeVerified()
    {
        var r = await _h.RunAsync("file.managed", _dir.Combine("dl.deb"), Args(("source", "https://example.invalid/pkg.deb")), test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal("Unable to verify upstream hash of source file https://example.invalid/pkg.deb, please set source_hash or set skip_verify to True", r["comment"]);
    }

    [Fact]
    public async Task Managed_RemoteSourceInTestMode_NotDownloaded()
    {
        var path = _dir.Combine("dl.deb");
        var r = await _h.RunAsync("file.managed", path, Args(("source", "https://example.invalid/pkg.deb"), ("source_hash", "sha256=" + new string('a', 64))), test: true);
        Assert.Null(r["result"]);
        Assert.Equal(new Dictionary<string, object?> { ["newfile"] = path }, Changes(r));
        File.WriteAllText(path, "old");
        var existing = await _h.RunAsync("file.managed", path, Args(("source", "https://example.invalid/pkg.deb"), ("skip_verify", true)), test: true);
        Assert.Null(existing["result"]);
        Assert.Equal("Checksum differs", Changes(existing)["sum"]);
        Assert.False(Directory.Exists(Path.Combine(_h.Context.CacheDir, "extrn_files", "base", "example.invalid")));
    }

    [Fact]
    public async Task Managed_ContentsList_OneLinePerItem()
    {
        var path = _dir.Combine("lines.txt");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", new List<object?> { "one\n", "two\nthree", 4L })));
        Assert.Equal(true, r["result"]);
        Assert.Equal("one\ntwo\nthree\n4\n", File.ReadAllText(path));
        await _h.RunAsync("file.managed", path, Args(("contents", new List<object?> { "a", "b" }), ("contents_newline", false)));
        Assert.Equal("a\nb", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_Template_ExtraArgumentsAreVariables()
    {
        var path = _dir.Combine("vars.conf");
        var r = await _h.RunAsync("file.managed", path, Args(("source", "salt://files/vars.conf"), ("template", "jinja"),
            ("context", null), ("extra", "from-sibling-key"), ("defaults", new Dictionary<string, object?> { ["port"] = "80", ["extra"] = "default" })));
        Assert.Equal(true, r["result"]);
        Assert.Equal("user={{ user }} port=80 extra=default\n", File.ReadAllText(path));
        await _h.RunAsync("file.managed", path, Args(("source", "salt://files/vars.conf"), ("template", "jinja"), ("extra", "from-sibling-key")));
        Assert.Equal("user={{ user }} port={{ port }} extra=from-sibling-key\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_TemplateUndefined_SaltsRenderError()
    {
        File.WriteAllText(_dir.Combine("roots", "files", "bad.conf"), "a\nb\n{{ config.keys() }}\nc\n");
        var jinja = new StateTestHarness(_dir.Combine("roots")) { Renderer = new Orchestrator.Shared.Rendering.JinjaTemplateRenderer(_ => null) };
        var args = Args(("source", "salt://files/bad.conf"), ("template", "jinja"));
        var context = "; line 3\n\n---\na\nb\n{{ config.keys() }}    <======================\nc\n---";
        var test = await jinja.RunAsync("file.managed", _dir.Combine("bad.conf"), args, test: true);
        Assert.Equal(false, test["result"]);
        var comment = (string)test["comment"]!;
        Assert.StartsWith("An exception occurred in this state: Traceback (most recent call last):\n", comment);
        Assert.EndsWith("\nsalt.exceptions.SaltRenderError: Jinja variable 'config' is undefined" + context + "\n", comment);
        var applied = await jinja.RunAsync("file.managed", _dir.Combine("bad.conf"), args);
        Assert.Equal("Unable to manage file: Jinja variable 'config' is undefined" + context, applied["comment"]);
        Assert.False(File.Exists(_dir.Combine("bad.conf")));
    }

    [Fact]
    public async Task Managed_ChecksBeforeFetchingTheSource()
    {
        var relative = await _h.RunAsync("file.managed", "relative.conf", Args(("source", "salt://files/none.conf")), test: true);
        Assert.Equal("Specified file relative.conf is not an absolute path", relative["comment"]);
        var path = _dir.Combine("kept.conf");
        File.WriteAllText(path, "mine\n");
        var kept = await _h.RunAsync("file.managed", path, Args(("source", "salt://files/none.conf"), ("replace", false)), test: true);
        Assert.Equal(true, kept["result"]);
        Assert.Equal($"File {path} not updated", kept["comment"]);
        var pillar = await _h.RunAsync("file.managed", "relative.conf", Args(("contents_pillar", "no:such:key")), test: true);
        Assert.Equal("Pillar no:such:key does not exist", pillar["comment"]);
    }

    [Fact]
    public async Task Managed_CheckCmdInTestMode_NotRun()
    {
        var marker = _dir.Combine("ran");
        var r = await _h.RunAsync("file.managed", _dir.Combine("c.conf"), Args(("contents", "x"), ("check_cmd", $"touch {marker}; false")), test: true);
        Assert.Null(r["result"]);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Managed_CheckCmdFails_FileNotWritten()
    {
        var path = _dir.Combine("c.conf");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "bad"), ("check_cmd", "grep -q good")));
        Assert.Equal(false, r["result"]);
        Assert.Equal("check_cmd execution failed", r["comment"]);
        Assert.False(File.Exists(path));
        var ok = await _h.RunAsync("file.managed", path, Args(("contents", "good"), ("check_cmd", "grep -q good")));
        Assert.Equal(true, ok["result"]);
        Assert.Equal("good\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_MissingUser_FailsOnlyWhenApplied()
    {
        var path = _dir.Combine("owned.conf");
        var test = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("user", "no-such-user-orch")), test: true);
        Assert.Null(test["result"]);
        var real = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("user", "no-such-user-orch")));
        Assert.Equal("User no-such-user-orch is not available ", real["comment"]);
    }

    [Fact]
    public async Task Directory_MissingInTestMode_SaltsComment()
    {
        var path = _dir.Combine("a", "b");
        var r = await _h.RunAsync("file.directory", path + "/", test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"The following files will be changed:\n{path}: directory - new\n", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { [path] = new Dictionary<string, object?> { ["directory"] = "new" } }, Changes(r));
    }

    [Fact]
    public async Task Directory_Created_EmptyCommentAndCorrectStateAfter()
    {
        var path = _dir.Combine("made");
        var r = await _h.RunAsync("file.directory", path + "/", Args(("mode", 750L)));
        Assert.Equal(true, r["result"]);
        Assert.Equal(string.Empty, r["comment"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(path));
        var again = await _h.RunAsync("file.directory", path + "/", Args(("mode", 750L)));
        Assert.Equal($"The directory {path} is in the correct state", again["comment"]);
    }

    [Fact]
    public async Task Absent_Missing_NotPresent()
    {
        var path = _dir.Combine("gone");
        var r = await _h.RunAsync("file.absent", path, test: true);
        Assert.Equal(true, r["result"]);
        Assert.Equal($"File {path} is not present", r["comment"]);
    }

    [Fact]
    public async Task Symlink_MissingParentInTestMode_SaysItWillBeCreated()
    {
        var link = _dir.Combine("links", "l");
        var r = await _h.RunAsync("file.symlink", link, Args(("target", "/etc/hostname"), ("makedirs", true)), test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"Symlink {link} to /etc/hostname is set for creation\n{_dir.Combine("links")} will be created", r["comment"]);
        var without = await _h.RunAsync("file.symlink", link, Args(("target", "/etc/hostname")), test: true);
        Assert.Equal($"Symlink {link} to /etc/hostname is set for creation\nDirectory {_dir.Combine("links")} for symlink is not present", without["comment"]);
    }

    [Fact]
    public async Task Symlink_Present_SaltsComments()
    {
        var link = _dir.Combine("l");
        var made = await _h.RunAsync("file.symlink", link, Args(("target", "/etc/hostname")));
        Assert.Equal($"Created new symlink {link} -> /etc/hostname", made["comment"]);
        var test = await _h.RunAsync("file.symlink", link, Args(("target", "/etc/hostname")), test: true);
        Assert.Equal(true, test["result"]);
        Assert.Equal($"The symlink {link} is present", test["comment"]);
        var other = await _h.RunAsync("file.symlink", link, Args(("target", "/etc/passwd")), test: true);
        Assert.Equal($"Link {link} target is set to be changed to /etc/passwd", other["comment"]);
    }

    [Fact]
    public async Task Recurse_SourceList_FirstDirectoryOnFileserver()
    {
        var target = _dir.Combine("mirror");
        var r = await _h.RunAsync("file.recurse", target, Args(("source", new List<object?> { "salt://nope", "salt://tree/" })), test: true);
        Assert.Null(r["result"]);
        var comment = (string)r["comment"]!;
        Assert.Contains($"#### {Path.Combine(target, "a.txt")} ####\nThe file {Path.Combine(target, "a.txt")} {SetToBeChanged}", comment);
        Assert.Contains($"#### {Path.Combine(target, "sub")} ####\nThe following files will be changed:\n{Path.Combine(target, "sub")}: directory - new", comment);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Recurse_NotSaltSource_Rejected()
    {
        var r = await _h.RunAsync("file.recurse", _dir.Combine("m"), Args(("source", "/srv/tree")));
        Assert.Equal("Invalid source '/srv/tree' (must be a salt:// URI)", r["comment"]);
    }
}
