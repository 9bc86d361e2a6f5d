using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

/// <summary>log.*, file.join/basename/dirname and status.time: the small helpers formula templates call.</summary>
public sealed class TemplateUtilityFunctionsTests : IDisposable
{
    private readonly ModuleHarness _harness = ModuleHarness.Builtin();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("log.debug")]
    [InlineData("log.info")]
    [InlineData("log.warning")]
    [InlineData("log.error")]
    [InlineData("log.critical")]
    public async Task Log_ReturnsNone(string function)
    {
        var result = await _harness.InvokeAsync(function, "### MAP.JINJA DUMP ###");

        Assert.True(result.Success);
        Assert.Null(result.Return);
    }

    [Theory]
    [InlineData(new[] { "/", "usr", "local", "bin" }, "/usr/local/bin")]
    [InlineData(new[] { "/usr/lib/postgresql/15/bin", "psql" }, "/usr/lib/postgresql/15/bin/psql")]
    [InlineData(new[] { "a/", "b" }, "a/b")]
    [InlineData(new[] { "a", "/etc", "x" }, "/etc/x")]
    [InlineData(new[] { "", "x" }, "x")]
    public async Task FileJoin_AsPythonsOsPathJoin(string[] parts, string expected) =>
        Assert.Equal(expected, await _harness.ReturnAsync("file.join", parts.Cast<object?>().ToArray()));

    [Fact]
    public async Task FileJoin_NonString_Fails() =>
        Assert.Contains("must be str", (string)(await _harness.InvokeAsync("file.join", "/a", 1L)).Return!);

    [Theory]
    [InlineData("postgres/server", "postgres")]
    [InlineData("postgres", "")]
    [InlineData("/", "/")]
    [InlineData("a//b", "a")]
    [InlineData("/a/b/", "/a/b")]
    public async Task FileDirname_AsPython(string path, string expected) => Assert.Equal(expected, await _harness.ReturnAsync("file.dirname", path));

    [Theory]
    [InlineData("test/test.config", "test.config")]
    [InlineData("a/b/", "")]
    public async Task FileBasename_AsPython(string path, string expected) => Assert.Equal(expected, await _harness.ReturnAsync("file.basename", path));

    [Fact]
    public async Task StatusTime_FormatsWithStrftime()
    {
        Assert.Matches(new Regex(@"^\d\d-\d\d-\d\d_\d\d:\d\d:\d\d$"), (string)(await _harness.ReturnAsync("status.time", "%y-%m-%d_%H:%M:%S"))!);
        Assert.Matches(new Regex(@"^[A-Z][a-z]+day, \d\d\. [A-Z][a-z]+ \d{4} \d\d:\d\d[AP]M$"), (string)(await _harness.ReturnAsync("status.time"))!);
    }
}
