using Orchestrator.Shared.Rendering;

namespace Orchestrator.Shared.Tests.Rendering;

public class SlsTemplateContextTests
{
    [Theory]
    [InlineData("top", "top.sls", ".", "", "", "", "", "top.sls")]
    [InlineData("web", "web/init.sls", "web", "web", "web", "web", "web", "web/init.sls")]
    [InlineData("a.b.c", "a/b/c.sls", "a/b", "a.b", "a/b", "a:b", "a_b", "a/b/c.sls")]
    [InlineData("a.b", "a/b/init.sls", "a/b", "a.b", "a/b", "a:b", "a_b", "a/b/init.sls")]
    public void For_GivesSaltsGenerateSlsContext(
        string sls, string relative, string tpldir, string tpldot, string slspath, string slscolonpath, string slsPath, string tplfile)
    {
        var context = SlsTemplateContext.For(sls, relative, "/cache/files/base/" + relative);

        Assert.Equal(tpldir, context["tpldir"]);
        Assert.Equal(tpldot, context["tpldot"]);
        Assert.Equal(slspath, context["slspath"]);
        Assert.Equal(slspath.Replace('/', '.'), context["slsdotpath"]);
        Assert.Equal(slscolonpath, context["slscolonpath"]);
        Assert.Equal(slsPath, context["sls_path"]);
        Assert.Equal(tplfile, context["tplfile"]);
        Assert.Equal("/cache/files/base/" + relative, context["tplpath"]);
        Assert.False(context.ContainsKey("env"));
    }
}
