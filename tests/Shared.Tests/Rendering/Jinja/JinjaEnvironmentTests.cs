using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

public class JinjaEnvironmentTests
{
    private sealed class SaltModules : IJinjaIndexable
    {
        public bool TryGetItem(object? key, out object? value)
        {
            value = key switch
            {
                "cmd.run" => (JinjaCallable)((args, kwargs) => "ran " + args[0]),
                "grains.get" => (JinjaCallable)((args, kwargs) => args[0] as string == "os" ? "Debian" : args.Count > 1 ? args[1] : string.Empty),
                "test.count" => (JinjaCallable)((args, kwargs) => 3),
                _ => null,
            };
            return value is not null;
        }
    }

    private static readonly Dictionary<string, string> _files = new()
    {
        ["macros.j2"] = "{% macro tag(x) %}<{{ x }}>{% endmacro %}{% set version = 3 %}{% set _hidden = 1 %}",
        ["part.j2"] = "[{{ n }}]",
        ["data.yaml"] = "port: 80\nenabled: yes\nmode: 0755\nname: '01'\n",
        ["uses_salt.j2"] = "{% macro os() %}{{ salt['grains.get']('os') }}{% endmacro %}",
    };

    private static readonly JinjaEnvironment _env = new() { Loader = name => _files.GetValueOrDefault(name) };

    private static string Render(string template, Dictionary<string, object?>? context = null) =>
        _env.Parse(template, "t.j2").Render(context ?? new Dictionary<string, object?>());

    [Fact]
    public void SaltIndexable_ItemAndDottedAccess_CallsHostFunctions()
    {
        var ctx = new Dictionary<string, object?> { ["salt"] = new SaltModules() };

        var output = Render("{{ salt['cmd.run']('ls') }}|{{ salt.cmd.run('pwd') }}|{{ salt['grains.get']('os') }}|{{ salt['test.count']() + 1 }}", ctx);

        Assert.Equal("ran ls|ran pwd|Debian|4", output);
    }

    [Fact]
    public void SaltDictionary_OfCallables_IsCallableByKey()
    {
        var salt = new Dictionary<string, object?> { ["test.echo"] = (JinjaCallable)((args, kwargs) => $"{args[0]}/{kwargs["sep"]}") };

        var output = Render("{{ salt['test.echo']('hi', sep='-') }}", new Dictionary<string, object?> { ["salt"] = salt });

        Assert.Equal("hi/-", output);
    }

    [Fact]
    public void Import_MacrosAndTopLevelSets_AreExported()
    {
        Assert.Equal("<a>3", Render("{% import 'macros.j2' as m %}{{ m.tag('a') }}{{ m.version }}"));
        Assert.Equal("<3>", Render("{% from 'macros.j2' import tag, version as v %}{{ tag(v) }}"));
        Assert.Equal("False", Render("{% import 'macros.j2' as m %}{{ m._hidden is defined }}"));
    }

    [Fact]
    public void Import_SeesRenderContext_LikeSaltGlobals()
    {
        var ctx = new Dictionary<string, object?> { ["salt"] = new SaltModules() };

        Assert.Equal("Debian", Render("{% from 'uses_salt.j2' import os %}{{ os() }}", ctx));
    }

    [Fact]
    public void Include_SeesLoopVariables_AndIgnoreMissingWorks()
    {
        Assert.Equal("[1][2]", Render("{% for n in [1, 2] %}{% include 'part.j2' %}{% endfor %}"));
        Assert.Equal("ok", Render("{% include 'nope.j2' ignore missing %}ok"));
    }

    [Fact]
    public void ImportYaml_UsesYaml11Scalars()
    {
        Assert.Equal("80 True 493 01", Render("{% import_yaml 'data.yaml' as d %}{{ d.port }} {{ d.enabled }} {{ d.mode }} {{ d.name }}"));
    }

    [Fact]
    public void LoadYamlBlock_ParsesRenderedBody()
    {
        Assert.Equal("[1, 2] x", Render("{% load_yaml as cfg %}\nitems: [1, 2]\nname: {{ 'x' }}\n{% endload %}{{ cfg['items'] }} {{ cfg.name }}"));
    }

    [Fact]
    public void LenientUndefined_PrintsEmptyAndIteratesNothing()
    {
        var env = new JinjaEnvironment { UndefinedBehavior = JinjaUndefinedBehavior.Lenient };

        Assert.Equal("[]!", env.Render("[{{ missing }}]{% for x in missing %}x{% endfor %}{% if not missing %}!{% endif %}"));
    }

    [Fact]
    public void TrailingNewline_ReappendedLikeSalt_OrDroppedLikeJinja()
    {
        Assert.Equal("a\n", new JinjaEnvironment().Render("a\n"));
        Assert.Equal("a", new JinjaEnvironment { AppendSourceTrailingNewline = false }.Render("a\n"));
        Assert.Equal("a\n\n", new JinjaEnvironment { KeepTrailingNewline = true }.Render("a\n\n"));
    }

    [Fact]
    public void TrimAndLstripBlocks_RemoveTagLines()
    {
        var env = new JinjaEnvironment { TrimBlocks = true, LstripBlocks = true };

        Assert.Equal("a\nx\nb\n", env.Render("a\n  {% if true %}\nx\n  {% endif %}\nb\n"));
    }

    [Fact]
    public void CustomFilterTestAndGlobal_AreUsable()
    {
        var env = new JinjaEnvironment();
        env.AddFilter("shout", (value, args, kwargs) => value + "!");
        env.AddTest("short", (value, args, kwargs) => value is string s && s.Length < 3);
        env.AddGlobal("answer", (JinjaCallable)((args, kwargs) => 42L));

        Assert.Equal("hi! True 42", env.Render("{{ 'hi'|shout }} {{ 'ab' is short }} {{ answer() }}"));
    }

    [Fact]
    public void Parse_SameNameAndSource_ReturnsCachedTemplate()
    {
        var env = new JinjaEnvironment();

        var first = env.Parse("{{ x }}", "a");
        var second = env.Parse("{{ x }}", "a");
        var changed = env.Parse("{{ y }}", "a");

        Assert.Same(first, second);
        Assert.NotSame(first, changed);
    }

    [Fact]
    public void Render_ManyThreadsOneTemplate_ProduceOwnResults()
    {
        var template = new JinjaEnvironment().Parse("{% for i in range(n) %}{{ i }}{% endfor %}", "p");

        var results = Enumerable.Range(0, 64).AsParallel()
            .Select(n => (n, template.Render(new Dictionary<string, object?> { ["n"] = (long)(n % 5) })))
            .ToList();

        Assert.All(results, r => Assert.Equal(string.Concat(Enumerable.Range(0, r.n % 5)), r.Item2));
    }
}
