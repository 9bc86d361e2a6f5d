using Orchestrator.Minion.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public sealed class SaltFunctionsTests : IDisposable
{
    private readonly ModuleHarness _harness = ModuleHarness.Builtin();

    public void Dispose() => _harness.Dispose();

    private string Render(string template) =>
        SaltFunctions.RendererFor(_harness.Context).Render(template, "test.sls", new Dictionary<string, object?>(StringComparer.Ordinal));

    [Fact]
    public void DefaultsMerge_ChangesTheTemplatesDictInPlace() =>
        Assert.Equal("{'a': 1, 'b': 2}", Render("{% set d = {'a': 1} %}{% do salt['defaults.merge'](d, {'b': 2}) %}{{ d }}"));

    [Fact]
    public void FilterBy_ReturnsTheChosenEntryWithTheMergeApplied()
    {
        _harness.Grains["os_family"] = "Debian";

        Assert.Equal("apache2 8080", Render(
            "{% set m = salt['grains.filter_by']({'Debian': {'pkg': 'apache2', 'port': 80}}, merge={'port': 8080}) %}{{ m.pkg }} {{ m.port }}"));
    }

    [Fact]
    public void LogFunctions_RenderAsNone() => Assert.Equal("None", Render("{{ salt['log.debug']('hello') }}"));

    [Fact]
    public void AttributeSyntax_CallsTheFunction() => Assert.Equal("postgres", Render("{{ salt.file.dirname('postgres/server') }}"));

    [Fact]
    public void RaisingFunction_FailsTheRender()
    {
        var error = Assert.ThrowsAny<Exception>(() => Render("{{ salt['grains.filter_by']({'a': 1}, merge='x') }}"));

        Assert.Contains("filter_by merge argument must be a dictionary.", error.Message);
    }

    [Fact]
    public void StatusTime_IsCallable() => Assert.Equal("True", Render("{{ salt['status.time'] is callable }}"));
}
