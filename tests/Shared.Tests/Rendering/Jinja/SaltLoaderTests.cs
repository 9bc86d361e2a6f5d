using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

/// <summary>Salt's template loader: relative names, the tpl* globals of imported templates, salt:// names, import_yaml/json/text.</summary>
public class SaltLoaderTests
{
    private static readonly Dictionary<string, string> _files = new()
    {
        ["f/init.sls"] = "",
        ["f/map.jinja"] = "{%- import_yaml './defaults.yaml' as defaults %}{%- import_json './extra.json' as extra %}"
            + "{%- import_text './motd.txt' as motd %}{%- set mapdata = {'d': defaults, 'e': extra, 'm': motd, 'seen': tpldir} %}",
        ["f/where.jinja"] = "{%- import_yaml './defaults.yaml' as again %}{%- set info = [tpldir, tplfile, tpldot, again.where] %}",
        ["f/defaults.yaml"] = "where: {{ tpldir }}\nport: 80\n",
        ["f/extra.json"] = "{\"k\": [1, 2]}",
        ["f/motd.txt"] = "hello {{ tpldir }}\n",
        ["f/sub/deep.jinja"] = "{%- import_yaml '../defaults.yaml' as d %}{%- set deep = [d.where, tplfile] %}",
        ["top.jinja"] = "{% set x = 1 %}",
        ["lib.jinja"] = "{% macro tag(x) %}<{{ x }}>{% endmacro %}",
    };

    private static string Render(string template, string tpldir, string sls = "f.sub")
    {
        var renderer = new JinjaTemplateRenderer(name => _files.GetValueOrDefault(name));
        var context = new Dictionary<string, object?> { ["tpldir"] = tpldir, ["sls"] = sls };
        return renderer.Render(template, "t.sls", context);
    }

    [Fact]
    public void FromImportWithContext_MapSeesTheSlsTpldir_RelativeNamesFollowTheMapsDirectory()
    {
        var output = Render("{%- from 'f/map.jinja' import mapdata with context %}{{ mapdata.d }}|{{ mapdata.e }}|{{ mapdata.m }}|{{ mapdata.seen }}", "f/sub");

        // defaults.yaml and motd.txt are imported without context: they see the tpldir the loader set for map.jinja.
        Assert.Equal("{'where': 'f', 'port': 80}|{'k': [1, 2]}|hello f|f/sub", output);
    }

    [Fact]
    public void ImportWithoutContext_SeesTheTplGlobalsOfItsOwnLoad()
    {
        var output = Render("{%- from 'f/where.jinja' import info %}{{ info }}|{{ tpldir }}", "f/sub");

        Assert.Equal("['f', 'f/where.jinja', 'f', 'f']|f/sub", output);
    }

    [Fact]
    public void RelativeLoads_KeepTheLoadersTpldir_AndTplfileIsTheNameAsGiven()
    {
        var output = Render("{%- from './deep.jinja' import deep %}{{ deep }}", "f/sub");

        Assert.Equal("['f/sub', './deep.jinja']", output);
    }

    [Theory]
    [InlineData("{% import_yaml '../defaults.yaml' as d %}", ".", "../defaults.yaml")]
    [InlineData("{% include './../../lib.jinja' %}", "f", "./../../lib.jinja")]
    public void RelativeName_ClimbingAboveTheRoot_IsNotFound(string template, string tpldir, string name)
    {
        var e = Assert.Throws<JinjaException>(() => Render(template, tpldir));

        Assert.Equal(JinjaErrorKind.TemplateNotFound, e.Kind);
        Assert.Equal(name, e.Reason);
    }

    [Fact]
    public void RelativeName_WithoutTpldir_IsNotFound()
    {
        var renderer = new JinjaTemplateRenderer(name => _files.GetValueOrDefault(name));

        var e = Assert.Throws<JinjaException>(() => renderer.Render("{% import './lib.jinja' as l %}", "file.tmpl", new Dictionary<string, object?>()));

        Assert.Equal(JinjaErrorKind.TemplateNotFound, e.Kind);
    }

    [Fact]
    public void SaltUrl_InImport_IsNotFoundAsInSalt()
    {
        var e = Assert.Throws<JinjaException>(() => Render("{% from 'salt://lib.jinja' import tag %}{{ tag(1) }}", "."));

        Assert.Equal(JinjaErrorKind.TemplateNotFound, e.Kind);
        Assert.StartsWith("Jinja error: salt://lib.jinja (t.sls, line 1", e.Message);
        Assert.Equal("<1>", Render("{% from 'lib.jinja' import tag %}{{ tag(1) }}", "."));
    }

    [Fact]
    public void TopLevelTpldir_Dot_ResolvesDotSlashNames()
    {
        Assert.Equal("<2>", Render("{% from './lib.jinja' import tag %}{{ tag(2) }}", ".", "top"));
    }
}
