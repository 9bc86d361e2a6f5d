using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class TestModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin(new() { ProcessRunner = new FakeProcessRunner() });

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Ping_ReturnsTrue() => Assert.Equal(true, await _harness.ReturnAsync("test.ping"));

    [Fact]
    public async Task Echo_ReturnsText() => Assert.Equal("hello world", await _harness.ReturnAsync("test.echo", "hello world"));

    [Fact]
    public async Task Echo_MissingText_FailsWithMessage()
    {
        var result = await _harness.InvokeAsync("test.echo");
        Assert.False(result.Success);
        Assert.Contains("missing required argument: 'text'", (string)result.Return!);
    }

    [Fact]
    public async Task TrueAndFalse_ReturnBooleansUnderBothNames()
    {
        Assert.Equal(true, await _harness.ReturnAsync("test.true"));
        Assert.Equal(true, await _harness.ReturnAsync("test.true_"));
        Assert.Equal(false, await _harness.ReturnAsync("test.false"));
        Assert.Equal(false, await _harness.ReturnAsync("test.false_"));
    }

    [Fact]
    public async Task Arg_ReturnsArgsAndKwargs()
    {
        var result = (Dictionary<string, object?>)(await _harness.ReturnAsync("test.arg", [1, "two"], Kw(("txt", "hello"))))!;
        Assert.Equal(new List<object?> { 1L, "two" }, result["args"]);
        Assert.Equal("hello", ((Dictionary<string, object?>)result["kwargs"]!)["txt"]);
    }

    [Fact]
    public async Task Kwarg_ReturnsKwargs()
    {
        var result = (Dictionary<string, object?>)(await _harness.ReturnAsync("test.kwarg", [], Kw(("num", 1), ("txt", "two"))))!;
        Assert.Equal(1L, result["num"]);
        Assert.Equal("two", result["txt"]);
    }

    [Fact]
    public async Task Retcode_SetsJobRetcode()
    {
        var result = await _harness.InvokeAsync("test.retcode", 7);
        Assert.Equal(true, result.Return);
        Assert.Equal(7, result.Retcode);
        Assert.False(result.Success);
    }

    [Fact]
    public async Task Retcode_DefaultsTo42() => Assert.Equal(42, (await _harness.InvokeAsync("test.retcode")).Retcode);

    [Fact]
    public async Task Exception_ReturnsCleanError()
    {
        var result = await _harness.InvokeAsync("test.exception", "boom");
        Assert.False(result.Success);
        Assert.Contains("boom", (string)result.Return!);
    }

    [Fact]
    public async Task Sleep_TinyLength_ReturnsTrue() => Assert.Equal(true, await _harness.ReturnAsync("test.sleep", 0.01));

    [Fact]
    public async Task Sleep_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _harness.InvokeAsync("test.sleep", [30], null, cts.Token));
    }

    [Fact]
    public async Task Version_ReturnsVersionString()
    {
        var version = Assert.IsType<string>(await _harness.ReturnAsync("test.version"));
        Assert.Matches(@"^\d+\.\d+", version);
    }
}
