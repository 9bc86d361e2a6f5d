using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a Salt user copies files out of file_roots with <c>orch call --local</c> (the real CLI and minion code):
/// cp.get_file with template=jinja names, cp.get_dir, cp.get_url of a file:// URL with dest None, and Salt's returns for
/// a missing source and a dest that cannot be written.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CpCallTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _config;
    private readonly string _roots;

    public CpCallTests()
    {
        _config = _dir.Combine("conf");
        _roots = _dir.Combine("roots");
        Directory.CreateDirectory(_config);
        Directory.CreateDirectory(Path.Combine(_roots, "cpcall1", "conf.d"));
        File.WriteAllText(Path.Combine(_config, "minion"),
            $"id: cpcall1\nfile_client: local\npki_dir: {_dir.Combine("pki")}\ncachedir: {_dir.Combine("cache")}\nfile_roots:\n  base:\n    - {_roots}\n");
        File.WriteAllText(Path.Combine(_roots, "cpcall1", "motd"), "welcome\n");
        File.WriteAllText(Path.Combine(_roots, "cpcall1", "conf.d", "a.conf"), "a=1\n");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<CliResult> Call(params string[] words)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(["call", "--local", "-c", _config, "--out", "json", .. words], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private static object? Local(CliResult result) =>
        Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["local"];

    [Fact]
    public async Task GetFile_WithTemplatedNames_WritesTheMinionsFile()
    {
        var dest = _dir.Combine("out", "{{ grains.id }}.motd");
        var result = await Call("cp.get_file", "salt://{{ grains.id }}/motd", dest, "makedirs=True", "template=jinja");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_dir.Combine("out", "cpcall1.motd"), Local(result));
        Assert.Equal("welcome\n", await File.ReadAllTextAsync(_dir.Combine("out", "cpcall1.motd")));
    }

    [Fact]
    public async Task GetDir_CopiesTheTree()
    {
        var result = await Call("cp.get_dir", "salt://cpcall1/conf.d", _dir.Combine("etc"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([_dir.Combine("etc") + "/conf.d/a.conf"], Assert.IsType<List<object?>>(Local(result)));
        Assert.Equal("a=1\n", await File.ReadAllTextAsync(_dir.Combine("etc", "conf.d", "a.conf")));
    }

    [Fact]
    public async Task GetUrl_FileUrlWithDestNone_ReturnsTheText()
    {
        var result = await Call("cp.get_url", "file://" + Path.Combine(_roots, "cpcall1", "motd"), "None");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("welcome\n", Local(result));
    }

    [Fact]
    public async Task GetFile_MissingSource_ReturnsEmptyString_AndAnUnwritableDestFails()
    {
        var missing = await Call("cp.get_file", "salt://cpcall1/absent", _dir.Combine("absent"));
        Assert.Equal("", Local(missing));
        Assert.False(File.Exists(_dir.Combine("absent")));

        var blocker = _dir.Combine("blocker");
        await File.WriteAllTextAsync(blocker, "a file, not a directory");
        var unwritable = await Call("cp.get_file", "salt://cpcall1/motd", Path.Combine(blocker, "sub", "motd"), "makedirs=True");
        Assert.NotEqual(0, unwritable.ExitCode);
        Assert.Contains("cannot create directory", unwritable.Stdout + unwritable.Stderr, StringComparison.Ordinal);
    }
}
