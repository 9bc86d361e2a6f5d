using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

/// <summary>cp.get_file, cp.get_dir, cp.get_template and cp.get_url over a real file root and a loopback HTTP server.</summary>
public sealed class CpGetTests : IDisposable
{
    private readonly TempDir _roots = new();
    private readonly TempDir _dev = new();
    private readonly ModuleHarness _harness;

    public CpGetTests()
    {
        Write(_roots, "files/motd", "hello\n");
        Write(_roots, "Debian/vimrc", "set nu\n");
        Write(_roots, "conf/app.conf", "a=1\n");
        Write(_roots, "conf/sub/more.conf", "b=2\n");
        Write(_roots, "conf.sh", "not in conf\n");
        Write(_roots, "confd/other", "not in conf either\n");
        Write(_roots, "tmpl/greet.txt", "id={{ grains.id }} env={{ saltenv }} who={{ who }}\n");
        Directory.CreateDirectory(_roots.Combine("conf", "empty"));
        Write(_dev, "files/motd", "dev hello\n");
        _harness = Builtin(files: new LocalFileClient(new Dictionary<string, IReadOnlyList<string>>
        {
            ["base"] = [_roots.Path],
            ["dev"] = [_dev.Path],
        }));
        _harness.Grains["os"] = "Debian";
        _harness.Grains["id"] = "web1";
    }

    public void Dispose()
    {
        _harness.Dispose();
        _roots.Dispose();
        _dev.Dispose();
    }

    private static void Write(TempDir dir, string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dir.Combine(relative))!);
        File.WriteAllText(dir.Combine(relative), text);
    }

    [Fact]
    public async Task GetFile_WritesDestAndReturnsIt()
    {
        var dest = _harness.Path("motd");
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_file", "salt://files/motd", dest));
        Assert.Equal("hello\n", File.ReadAllText(dest));
    }

    [Fact]
    public async Task GetFile_DirectoryDestKeepsTheName()
    {
        var dir = _harness.Path("into");
        Directory.CreateDirectory(dir);
        Assert.Equal(Path.Combine(dir, "motd"), await _harness.ReturnAsync("cp.get_file", "salt://files/motd", dir));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(dir, "motd")));
    }

    [Fact]
    public async Task GetFile_SaltenvByArgumentOrQuery()
    {
        var first = _harness.Path("a");
        var second = _harness.Path("b");
        await _harness.ReturnAsync("cp.get_file", ["salt://files/motd", first], Kw(("saltenv", "dev")));
        await _harness.ReturnAsync("cp.get_file", "salt://files/motd?saltenv=dev", second);
        Assert.Equal("dev hello\n", File.ReadAllText(first));
        Assert.Equal("dev hello\n", File.ReadAllText(second));
    }

    [Fact]
    public async Task GetFile_MissingSourceReturnsEmptyStringAndWritesNothing()
    {
        var dest = _harness.Path("nothing");
        Assert.Equal("", await _harness.ReturnAsync("cp.get_file", "salt://files/absent", dest));
        Assert.False(File.Exists(dest));
    }

    [Fact]
    public async Task GetFile_MissingDirectoryIsFalseUnlessMakedirs()
    {
        var dest = _harness.Path("deep", "er", "motd");
        Assert.Equal(false, await _harness.ReturnAsync("cp.get_file", "salt://files/motd", dest));
        Assert.False(Directory.Exists(_harness.Path("deep")));
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_file", ["salt://files/motd", dest], Kw(("makedirs", true))));
        Assert.Equal("hello\n", File.ReadAllText(dest));
    }

    [Fact]
    public async Task GetFile_UnwritableDestFailsWithThePath()
    {
        var blocker = _harness.Path("plainfile");
        File.WriteAllText(blocker, "x");
        var result = await _harness.InvokeAsync("cp.get_file", ["salt://files/motd", Path.Combine(blocker, "sub", "motd")],
            Kw(("makedirs", true)));
        Assert.False(result.Success);
        Assert.Contains(blocker, result.Return as string);
        // An existing directory where the file would go is refused the same way (the file is not written into it).
        var dirDest = _harness.Path("isdir");
        Directory.CreateDirectory(Path.Combine(dirDest, "motd", "x"));
        var intoDir = await _harness.InvokeAsync("cp.get_file", "salt://files/motd", dirDest);
        Assert.False(intoDir.Success);
        Assert.Contains("cannot write", intoDir.Return as string);
    }

    [Fact]
    public async Task GetFile_NonSaltSourceIsUnsupported()
    {
        var result = await _harness.InvokeAsync("cp.get_file", "/etc/hostname", _harness.Path("h"));
        Assert.False(result.Success);
        Assert.Equal("Unsupported path: /etc/hostname", result.Return);
    }

    [Fact]
    public async Task GetFile_TemplateRendersSourceAndDestNames()
    {
        var dest = _harness.Path("{{ grains.id }}.vimrc");
        Assert.Equal(_harness.Path("web1.vimrc"), await _harness.ReturnAsync("cp.get_file",
            ["salt://{{ grains.os }}/vimrc", dest], Kw(("template", "jinja"))));
        Assert.Equal("set nu\n", File.ReadAllText(_harness.Path("web1.vimrc")));
        var unknown = await _harness.InvokeAsync("cp.get_file", ["salt://files/motd", _harness.Path("m")], Kw(("template", "mako")));
        Assert.False(unknown.Success);
        Assert.Equal("Attempted to render file paths with unavailable engine mako", unknown.Return);
    }

    [Fact]
    public async Task GetDir_CopiesTheTreeUnderItsNameAndSkipsLookalikes()
    {
        var dest = _harness.Path("out");
        var written = ((List<object?>)(await _harness.ReturnAsync("cp.get_dir", "salt://conf/", dest))!).Cast<string>().ToList();
        Assert.Equal([dest + "/conf/app.conf", dest + "/conf/empty", dest + "/conf/sub/more.conf"], written);
        Assert.Equal("b=2\n", File.ReadAllText(Path.Combine(dest, "conf", "sub", "more.conf")));
        Assert.True(Directory.Exists(Path.Combine(dest, "conf", "empty")));
        Assert.False(File.Exists(Path.Combine(dest, "conf.sh")));
        Assert.False(Directory.Exists(Path.Combine(dest, "confd")));
    }

    [Fact]
    public async Task GetDir_MissingDirectoryIsAnEmptyList() =>
        Assert.Empty((List<object?>)(await _harness.ReturnAsync("cp.get_dir", "salt://nope", _harness.Path("none")))!);

    [Fact]
    public async Task GetTemplate_RendersTheFileWithTheMinionsContext()
    {
        var dest = _harness.Path("greet.txt");
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_template", ["salt://tmpl/greet.txt", dest], Kw(("who", "ops"))));
        Assert.Equal("id=web1 env=base who=ops\n", File.ReadAllText(dest));
        Assert.Equal("", await _harness.ReturnAsync("cp.get_template", "salt://tmpl/absent.txt", dest));
    }

    [Fact]
    public async Task GetUrl_SaltUrlToDestCacheOrContents()
    {
        var dest = _harness.Path("motd");
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_url", "salt://files/motd", dest));
        Assert.Equal("hello\n", File.ReadAllText(dest));
        Assert.Equal(_roots.Combine("files", "motd"), await _harness.ReturnAsync("cp.get_url", "salt://files/motd"));
        Assert.Equal("hello\n", await _harness.ReturnAsync("cp.get_url", "salt://files/motd", null));
        Assert.Equal(false, await _harness.ReturnAsync("cp.get_url", "salt://files/absent", dest));
    }

    [Fact]
    public async Task GetUrl_FileUrlReturnsThePathOrTheContents()
    {
        var local = _roots.Combine("files", "motd");
        Assert.Equal(local, await _harness.ReturnAsync("cp.get_url", "file://" + local, _harness.Path("ignored")));
        Assert.Equal("hello\n", await _harness.ReturnAsync("cp.get_url", "file://" + local, null));
        Assert.Equal("hello\n", await _harness.ReturnAsync("cp.get_url", local, null));
        var relative = await _harness.InvokeAsync("cp.get_url", "relative/path", null);
        Assert.False(relative.Success);
        Assert.Equal("Path 'relative/path' is not absolute", relative.Return);
    }

    [Fact]
    public async Task GetUrl_HttpToDestToCacheAndAsText()
    {
        await using var server = new LoopbackHttpServer(new() { ["/pkg/app.txt"] = "served body\n", ["/"] = "root page" });
        var dest = _harness.Path("app.txt");
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/pkg/app.txt", dest));
        Assert.Equal("served body\n", File.ReadAllText(dest));

        var cached = (string)(await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/pkg/app.txt"))!;
        Assert.Equal(Path.Combine(_harness.CacheDir, "extrn_files", "base", $"127.0.0.1{server.Port}", "pkg", "app.txt"), cached);
        Assert.Equal("served body\n", File.ReadAllText(cached));

        Assert.Equal("served body\n", await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/pkg/app.txt", null));

        var dir = _harness.Path("site");
        Directory.CreateDirectory(dir);
        Assert.Equal(Path.Combine(dir, "index.html"), await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/", dir));
        Assert.Equal("root page", File.ReadAllText(Path.Combine(dir, "index.html")));
    }

    [Fact]
    public async Task GetUrl_HttpSourceHashSkipsTheDownloadOfAMatchingCachedCopy()
    {
        await using var server = new LoopbackHttpServer(new() { ["/a.txt"] = "abc" });
        await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/a.txt");
        var sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        await _harness.ReturnAsync("cp.get_url", [server.BaseUrl + "/a.txt"], Kw(("source_hash", "sha256=" + sha256)));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetUrl_Http404FailsWithSaltsMessage()
    {
        await using var server = new LoopbackHttpServer([]);
        var dest = _harness.Path("missing.txt");
        var result = await _harness.InvokeAsync("cp.get_url", server.BaseUrl + "/missing.txt", dest);
        Assert.False(result.Success);
        Assert.Equal("Error: HTTP 404: Not Found reading /missing.txt", result.Return);
        Assert.False(File.Exists(dest));
        Assert.False(File.Exists(dest + ".part"));
    }

    [Fact]
    public async Task GetUrl_HttpMissingDestDirectoryIsEmptyStringUnlessMakedirs()
    {
        await using var server = new LoopbackHttpServer(new() { ["/a.txt"] = "abc" });
        var dest = _harness.Path("no", "such", "a.txt");
        Assert.Equal("", await _harness.ReturnAsync("cp.get_url", server.BaseUrl + "/a.txt", dest));
        Assert.Empty(server.Requests);
        Assert.Equal(dest, await _harness.ReturnAsync("cp.get_url", [server.BaseUrl + "/a.txt", dest], Kw(("makedirs", true))));
        Assert.Equal("abc", File.ReadAllText(dest));
    }

    [Fact]
    public async Task GetUrl_UnsupportedSchemeIsRefused()
    {
        var result = await _harness.InvokeAsync("cp.get_url", "ftp://127.0.0.1/x", null);
        Assert.False(result.Success);
        Assert.Contains("ftp:// URLs are not supported", result.Return as string);
    }

    [Fact]
    public async Task Push_WithoutAMasterOrWithABadPathIsFalse()
    {
        var file = _harness.Path("push.txt");
        File.WriteAllText(file, "x");
        Assert.Equal(false, await _harness.ReturnAsync("cp.push", file));
        Assert.Equal(false, await _harness.ReturnAsync("cp.push", "relative.txt"));
        Assert.Equal(false, await _harness.ReturnAsync("cp.push_dir", _harness.Path("absent-dir")));
    }
}
