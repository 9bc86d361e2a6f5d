using Orchestrator.Shared.Rendering;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public class SlsCompilerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<(List<Dictionary<string, object?>> Chunks, List<string> Errors)> CompileAsync(params string[] sls)
    {
        var harness = new StateTestHarness(_dir.Path);
        var (high, errors) = await harness.Host.BuildHighAsync(new Dictionary<string, List<string>> { ["base"] = [.. sls] }, default);
        if (errors.Count > 0)
        {
            return ([], errors);
        }
        return StateEngineHost.Compile(high);
    }

    private static List<string> Tags(List<Dictionary<string, object?>> chunks) => chunks.Select(LowChunk.TagOf).ToList();

    [Fact]
    public async Task Compile_BothArgumentForms_SameChunk()
    {
        Write("a.sls", "x:\n  file.managed:\n    - name: /tmp/x\ny:\n  file:\n    - managed\n    - name: /tmp/y\n");
        var (chunks, errors) = await CompileAsync("a");
        Assert.Empty(errors);
        Assert.Equal(["file_|-x_|-/tmp/x_|-managed", "file_|-y_|-/tmp/y_|-managed"], Tags(chunks));
    }

    [Fact]
    public async Task Compile_MultipleStatesPerId_EachAChunk()
    {
        Write("a.sls", "web:\n  pkg.installed: []\n  service.running:\n    - enable: True\n");
        var (chunks, _) = await CompileAsync("a");
        Assert.Equal(["pkg_|-web_|-web_|-installed", "service_|-web_|-web_|-running"], Tags(chunks));
        Assert.All(chunks, c => Assert.Equal("web", c["__id__"]));
    }

    [Fact]
    public async Task Compile_NamesWithOverrides_ExpandInOrder()
    {
        Write("a.sls", "pk:\n  test.nop:\n    - foo: base\n    - names:\n      - one\n      - two:\n        - foo: special\n");
        var (chunks, _) = await CompileAsync("a");
        Assert.Equal(["one", "two"], chunks.Select(c => (string)c["name"]!));
        Assert.Equal("base", chunks[0]["foo"]);
        Assert.Equal("special", chunks[1]["foo"]);
        Assert.Equal(10000.0001, (double)chunks[0]["order"]!, 6);
    }

    [Fact]
    public async Task Compile_SlsAndEnvAndId_SetOnChunks()
    {
        Write("web/init.sls", "site:\n  test.nop\n");
        var (chunks, _) = await CompileAsync("web");
        Assert.Equal("web", chunks[0]["__sls__"]);
        Assert.Equal("base", chunks[0]["__env__"]);
        Assert.Equal("site", chunks[0]["__id__"]);
    }

    [Fact]
    public async Task Compile_RelativeInclude_ResolvesFromPackage()
    {
        Write("web/init.sls", "include:\n  - .conf\n  - ..common\nsite:\n  test.nop\n");
        Write("web/conf.sls", "conf:\n  test.nop\n");
        Write("common.sls", "common:\n  test.nop\n");
        var (chunks, errors) = await CompileAsync("web");
        Assert.Empty(errors);
        Assert.Equal(["conf", "common", "site"], chunks.Select(c => (string)c["__id__"]!));
        Assert.Equal("web.conf", chunks[0]["__sls__"]);
    }

    [Fact]
    public async Task Compile_DuplicateIdAcrossFiles_ErrorNamesBoth()
    {
        Write("a.sls", "include:\n  - b\ndup:\n  test.nop\n");
        Write("b.sls", "dup:\n  test.succeed_without_changes\n");
        var (_, errors) = await CompileAsync("a");
        Assert.Equal(["Detected conflicting IDs, SLS IDs need to be globally unique.\n    The conflicting ID is 'dup' and is found in SLS 'base:a' and SLS 'base:b'"], errors);
    }

    [Fact]
    public async Task Compile_ExtendFromIncluder_ChangesIncludedState()
    {
        Write("a.sls", "include:\n  - b\nextend:\n  svc:\n    test.configurable_test_state:\n      - comment: new\n");
        Write("b.sls", "svc:\n  test.configurable_test_state:\n    - comment: old\n");
        var (chunks, errors) = await CompileAsync("a");
        Assert.Empty(errors);
        Assert.Equal("new", chunks.Single()["comment"]);
    }

    [Fact]
    public async Task Compile_ExtendMissingId_Error()
    {
        Write("a.sls", "extend:\n  ghost:\n    test.nop:\n      - foo: 1\n");
        var (_, errors) = await CompileAsync("a");
        Assert.StartsWith("Cannot extend ID 'ghost' in 'base:a'.", Assert.Single(errors));
    }

    [Fact]
    public async Task Compile_ExcludeSls_RemovesItsStates()
    {
        Write("a.sls", "include:\n  - b\nexclude:\n  - sls: b\nmine:\n  test.nop\n");
        Write("b.sls", "theirs:\n  test.nop\n");
        var (chunks, _) = await CompileAsync("a");
        Assert.Equal(["mine"], chunks.Select(c => (string)c["__id__"]!));
    }

    [Fact]
    public async Task Compile_OrderOption_FirstLastNumberAndDefinition()
    {
        Write("a.sls", "d:\n  test.nop:\n    - order: last\nc:\n  test.nop\nb:\n  test.nop:\n    - order: 5\na:\n  test.nop:\n    - order: first\n");
        var (chunks, _) = await CompileAsync("a");
        Assert.Equal(["a", "b", "c", "d"], chunks.Select(c => (string)c["__id__"]!));
    }

    [Fact]
    public async Task Compile_TrailingColon_Error()
    {
        Write("a.sls", "x:\n  test.nop:\n");
        var (_, errors) = await CompileAsync("a");
        Assert.Equal(["ID 'x' in SLS 'a' contains a short declaration (test.nop) with a trailing colon. When not passing any arguments to a state, the colon must be omitted."], errors);
    }

    [Fact]
    public async Task Compile_TwoFunctions_Error()
    {
        Write("a.sls", "x:\n  test:\n    - nop\n    - succeed_with_changes\n");
        var (_, errors) = await CompileAsync("a");
        Assert.Equal(["Too many functions declared in state 'test' in SLS 'a'"], errors);
    }

    [Fact]
    public async Task Compile_MissingSls_Error()
    {
        var (_, errors) = await CompileAsync("nope");
        Assert.Equal(["No matching sls found for 'nope' in env 'base'"], errors);
    }

    [Fact]
    public async Task Compile_YamlError_NamesSlsAndPosition()
    {
        Write("a.sls", "x:\n  test.nop\nx:\n  test.nop\n");
        var (_, errors) = await CompileAsync("a");
        // Salt's loader's words, in PyYAML's layout: the mapping, then the repeated key.
        Assert.StartsWith("Rendering SLS 'base:a' failed: while constructing a mapping\n  in \"<unicode string>\", line 1, column 1\nfound conflicting ID 'x'", Assert.Single(errors));
        Assert.Contains("line 3", errors[0]);
    }

    [Fact]
    public async Task Compile_JsonShebang_Renders()
    {
        Write("a.sls", "#!json\n{\"x\": {\"test.nop\": []}}\n");
        var (chunks, errors) = await CompileAsync("a");
        Assert.Empty(errors);
        Assert.Equal("nop", chunks.Single()["fun"]);
    }

    [Fact]
    public async Task Compile_GlobMatches_AllSls()
    {
        Write("svc/a.sls", "a:\n  test.nop\n");
        Write("svc/b.sls", "b:\n  test.nop\n");
        var (chunks, _) = await CompileAsync("svc.*");
        Assert.Equal(["a", "b"], chunks.Select(c => (string)c["__id__"]!));
    }

    [Fact]
    public async Task Compile_RequisiteIn_AddsToTarget()
    {
        Write("a.sls", "t:\n  test.nop\ns:\n  test.nop:\n    - watch_in:\n      - test: t\n");
        var (chunks, _) = await CompileAsync("a");
        var t = chunks.Single(c => (string)c["__id__"]! == "t");
        var watch = Assert.IsType<List<object?>>(t["watch"]);
        Assert.Equal("s", ((Dictionary<string, object?>)watch.Single()!)["test"]);
    }

    [Fact]
    public async Task Compile_ArgumentMappingWithSeveralKeys_MergedIntoChunk()
    {
        Write("a.sls", "f:\n  file.managed:\n    - name: /tmp/f\n    - context:\n      extra: 1\n");
        var (chunks, errors) = await CompileAsync("a");
        Assert.Empty(errors);
        Assert.Null(chunks.Single()["context"]);
        Assert.Equal(1L, chunks.Single()["extra"]);
    }

    [Fact]
    public async Task Compile_RequisiteMappingWithSeveralKeys_Rejected()
    {
        Write("a.sls", "t:\n  test.nop\ns:\n  test.nop:\n    - require:\n      - test: t\n      other: 1\n");
        var (_, errors) = await CompileAsync("a");
        Assert.Contains("Multiple dictionaries defined in argument of state 's' in SLS 'a'", errors);
    }

    [Fact]
    public void Render_CustomTemplateRenderer_RunsBeforeYaml()
    {
        var pipeline = new SlsRenderPipeline(new Orchestrator.Minion.Tests.States.FakeRenderer());
        var data = pipeline.Render("x:\n  test.{{ fun }}\n", "a.sls", new Dictionary<string, object?> { ["fun"] = "nop" });
        Assert.Equal("test.nop", ((Dictionary<string, object?>)data!)["x"]);
    }
}
