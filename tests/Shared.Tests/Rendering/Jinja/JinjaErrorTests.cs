using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

public class JinjaErrorTests
{
    private static readonly JinjaEnvironment _env = new()
    {
        Loader = name => name switch
        {
            "lib.j2" => "{% macro boom(x) %}\n{{ x.missing.deeper }}\n{% endmacro %}",
            "bad.j2" => "ok\n{{ 1 +* 2 }}",
            _ => null,
        },
    };

    private static JinjaException RenderFails(string template, string name = "web/nginx.sls", IDictionary<string, object?>? context = null) =>
        Assert.Throws<JinjaException>(() => _env.Parse(template, name).Render(context ?? new Dictionary<string, object?>()));

    [Fact]
    public void Parse_UnclosedBlock_ReportsEndOfTemplateWithLocation()
    {
        var ex = RenderFails("line1\n{% for x in y %}\n  {{ x }}\n");

        Assert.Equal(JinjaErrorKind.Syntax, ex.Kind);
        Assert.Equal("web/nginx.sls", ex.TemplateName);
        Assert.Equal(3, ex.Line);
        Assert.StartsWith("Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("Jinja syntax error: Unexpected end of template.", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(web/nginx.sls, line 3, column 10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnexpectedEndTag_NamesTagLineAndColumn()
    {
        var ex = RenderFails("a\n{% if x %}\n    {% endfor %}\n{% endif %}");

        Assert.Equal(JinjaErrorKind.Syntax, ex.Kind);
        Assert.Equal(3, ex.Line);
        Assert.Equal(8, ex.Column);
        Assert.Equal("Encountered unknown tag 'endfor'. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.", ex.Reason);
        Assert.Equal("Jinja syntax error: " + ex.Reason + " (web/nginx.sls, line 3, column 8)", ex.Message);
    }

    [Fact]
    public void Parse_UnknownFilter_IsSyntaxErrorAtFilterName()
    {
        var ex = Assert.Throws<JinjaException>(() => _env.Parse("x\n{{ value|nope(1) }}", "f.sls"));

        Assert.Equal(JinjaErrorKind.Syntax, ex.Kind);
        Assert.Equal("No filter named 'nope'.", ex.Reason);
        Assert.Equal((2, 10), (ex.Line, ex.Column));
        Assert.Equal("f.sls", ex.TemplateName);
    }

    [Fact]
    public void Parse_UnknownTest_IsSyntaxError()
    {
        var ex = Assert.Throws<JinjaException>(() => _env.Parse("{% if x is frob %}{% endif %}", "t.sls"));

        Assert.Equal("No test named 'frob'.", ex.Reason);
        Assert.Equal((1, 12), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_BadExpression_ReportsUnexpectedToken()
    {
        var ex = RenderFails("{% set a = 1 %}\n{{ a + }}");

        Assert.Equal(JinjaErrorKind.Syntax, ex.Kind);
        Assert.Equal("unexpected 'end of print statement'", ex.Reason);
        Assert.Equal((2, 8), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_UnknownTag_MatchesSaltMessage()
    {
        var ex = RenderFails("{% frobnicate %}");

        Assert.Equal("Encountered unknown tag 'frobnicate'.", ex.Reason);
        Assert.Equal((1, 4), (ex.Line, ex.Column));
    }

    [Fact]
    public void Render_UndefinedMacro_IsUndefinedErrorWithLocation()
    {
        var ex = RenderFails("first\n  {{ nomacro(1) }}");

        Assert.Equal(JinjaErrorKind.Undefined, ex.Kind);
        Assert.Equal("'nomacro' is undefined", ex.Reason);
        Assert.Equal((2, 6), (ex.Line, ex.Column));
        Assert.Equal("Jinja variable 'nomacro' is undefined (web/nginx.sls, line 2, column 6)", ex.Message);
    }

    [Fact]
    public void Render_AttributeOfUndefined_Fails()
    {
        var ex = RenderFails("{{ x.y }}");

        Assert.Equal("'x' is undefined", ex.Reason);
    }

    [Fact]
    public void Render_MissingDictAttributeUsed_FailsWithPythonMessage()
    {
        var ex = RenderFails("{{ d.nope }}", context: new Dictionary<string, object?> { ["d"] = new Dictionary<string, object?>() });

        Assert.Equal("'dict object' has no attribute 'nope'", ex.Reason);
    }

    [Fact]
    public void Render_StrictUndefinedPrinted_Fails()
    {
        var ex = RenderFails("a\nb {{ missing }}");

        Assert.Equal(JinjaErrorKind.Undefined, ex.Kind);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Render_ErrorInsideImportedMacro_ReportsInnerTemplate()
    {
        var ex = RenderFails("{% from 'lib.j2' import boom %}\n{{ boom({}) }}");

        Assert.Equal("lib.j2", ex.TemplateName);
        Assert.Equal(2, ex.Line);
        Assert.Equal("'dict object' has no attribute 'missing'", ex.Reason);
    }

    [Fact]
    public void Render_SyntaxErrorInIncludedTemplate_ReportsIncludedName()
    {
        var ex = RenderFails("{% include 'bad.j2' %}");

        Assert.Equal(JinjaErrorKind.Syntax, ex.Kind);
        Assert.Equal("bad.j2", ex.TemplateName);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Render_MissingInclude_IsTemplateNotFound()
    {
        var ex = RenderFails("{% include 'nope.j2' %}");

        Assert.Equal(JinjaErrorKind.TemplateNotFound, ex.Kind);
        Assert.Equal("nope.j2", ex.Reason);
    }

    [Fact]
    public void Render_MacroUnknownKeyword_Fails()
    {
        var ex = RenderFails("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}");

        Assert.Equal("macro 'm' takes no keyword argument 'b'", ex.Reason);
    }

    [Fact]
    public void Render_TypeError_UsesPythonMessage()
    {
        var ex = RenderFails("{{ 1 + 'a' }}");

        Assert.Equal(JinjaErrorKind.Runtime, ex.Kind);
        Assert.Equal("unsupported operand type(s) for +: 'int' and 'str'", ex.Reason);
    }

    [Fact]
    public void Render_RaiseGlobal_FailsWithMessage()
    {
        var ex = RenderFails("{{ raise('custom failure') }}");

        Assert.Equal("custom failure", ex.Reason);
        Assert.Equal("Jinja error: custom failure (web/nginx.sls, line 1, column 4)", ex.Message);
    }

    [Fact]
    public void Parse_UnclosedComment_Fails()
    {
        var ex = Assert.Throws<JinjaException>(() => _env.Parse("a {# never closed", "c.sls"));

        Assert.Equal("Missing end of comment tag", ex.Reason);
        Assert.Equal((1, 3), (ex.Line, ex.Column));
    }
}
