using System.Text.Json;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Output;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// The console's pure script logic, run in headless chromium from the files the master serves: Salt's glob for tag
/// filters, the requisite edges the graph draws (every requisite form and direction), high data to low chunks, and the
/// highstate outputter's text.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ConsoleScriptLogicTests
{
    private static async Task<JsonElement> RunAsync(string module, string body)
    {
        await using var host = await ConsoleHost.StartAsync();
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        // Any console URL gives the shell; the test's script then imports the module it checks.
        await page.NavigateAsync(new Uri(host.Address, "/ui/login").ToString());
        var result = await page.EvaluateAsync($"(async () => {{ const m = await import('/ui/assets/{module}'); {body} }})()");
        Assert.Empty(page.Errors);
        return result;
    }

    [ChromiumFact]
    public async Task Glob_IsFnmatch()
    {
        var result = await RunAsync("glob.js", """
            const cases = [
              ['salt/job/*/ret/*', 'salt/job/2024/ret/web1', true],
              ['salt/job/*/ret/*', 'salt/job/2024/new', false],
              ['web?', 'web1', true],
              ['web?', 'web10', false],
              ['web[12]', 'web2', true],
              ['web[!12]', 'web2', false],
              ['a.b', 'axb', false],
              ['a+b(c)', 'a+b(c)', true],
              ['*', 'anything/at/all', true],
              ['', 'empty glob matches', true],
            ];
            return cases.filter(([g, t, want]) => m.globMatch(g, t) !== want).map(([g, t]) => `${g} vs ${t}`);
            """);
        Assert.Empty(result.EnumerateArray());
    }

    [ChromiumFact]
    public async Task RequisiteEdges_RunFromWhatRunsFirst()
    {
        var result = await RunAsync("graph.js", """
            const c = (id, extra = {}, state = 'test', sls = 'app') => ({ state, __id__: id, name: id, fun: 'nop', __sls__: sls, ...extra });
            const chunks = [
              c('a'),
              c('b', { require: [{ test: 'a' }] }),
              c('c', { watch_in: [{ test: 'd' }] }),
              c('d'),
              c('e', { prereq: [{ test: 'f' }] }),
              c('f'),
              c('g', { onchanges: [{ sls: 'other' }], onfail: ['a'] }),
              c('h', {}, 'file', 'other'),
              c('i', { require: [{ test: 'nothing-like-this' }] }),
            ];
            const { nodes, edges } = m.buildGraph(chunks, null);
            const name = (i) => nodes[i].label.split(': ')[1];
            return edges.map((e) => `${name(e.from)}>${name(e.to)}:${e.kind}`).sort();
            """);
        Assert.Equal(["a>b:require", "a>g:onfail", "c>d:watch", "e>f:prereq", "h>g:onchanges"], result.EnumerateArray().Select(e => e.GetString()!));
    }

    [ChromiumFact]
    public async Task HighData_BecomesOneChunkPerName()
    {
        var result = await RunAsync("graph.js", """
            const low = m.highToLow({
              pkgs: { __sls__: 'web', __env__: 'base', pkg: ['installed', { names: ['nginx', { curl: [] }] }] },
              conf: { __sls__: 'web', 'file.managed': [{ name: '/etc/x' }, { require: [{ pkg: 'nginx' }] }] },
            });
            return low.map((c) => `${c.state}.${c.fun} ${c.__id__} ${c.name} ${JSON.stringify(c.require ?? null)}`);
            """);
        Assert.Equal(
            ["pkg.installed pkgs nginx null", "pkg.installed pkgs curl null", "file.managed conf /etc/x [{\"pkg\":\"nginx\"}]"],
            result.EnumerateArray().Select(e => e.GetString()!));
    }

    [ChromiumFact]
    public async Task Highstate_PrintsWhatTheCliHighstateOutputterPrints()
    {
        const string ret = """
            {
              "test_|-b_|-b_|-fail_without_changes": {"__id__": "b", "name": "b", "result": false, "comment": "Failure!\nsecond line", "__run_num__": 1, "start_time": "10:00:00.000002", "duration": 0.5, "changes": {}},
              "test_|-a_|-a_|-succeed_with_changes": {"__id__": "a", "name": "a", "result": true, "comment": "Success!", "__run_num__": 0, "start_time": "10:00:00.000001", "duration": 1.25, "changes": {"testing": {"old": "Unchanged", "new": ["x", {"y": 1}]}}},
              "test_|-c_|-c_|-nop": {"__id__": "c", "name": "c", "result": null, "comment": "", "__run_num__": 2, "start_time": "10:00:00.000003", "duration": 1000, "changes": {}}
            }
            """;
        var shown = await RunAsync("output.js", $"return m.renderHighstate('web1', {ret}).textContent;");
        var cli = new HighstateOutputter().Format(
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["web1"] = DataTree.FromJson(ret) },
            new HighstateOutputOptions(Color: false));
        Assert.Equal(cli, shown.GetString());
    }
}
