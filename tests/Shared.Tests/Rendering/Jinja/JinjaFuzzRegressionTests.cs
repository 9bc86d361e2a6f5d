using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Jinja.Parsing;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

/// <summary>Inputs the fuzz suite (tests/Fuzz.Tests) found, minimized: each once crashed or misled the engine.</summary>
public class JinjaFuzzRegressionTests
{
    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    // Renders on a thread with the pool's stack size, where the master renders pillar and reactor files.
    private static JinjaException RenderFails(string template)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    new JinjaEnvironment().Parse(template, "deep.sls").Render(new Dictionary<string, object?> { ["x"] = 1L });
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            1536 * 1024);
        thread.Start();
        thread.Join();
        return Assert.IsType<JinjaException>(failure);
    }

    public static TheoryData<string> DeepTemplates => new()
    {
        "{{ " + Repeat("(", 5000) + "1" + Repeat(")", 5000) + " }}",
        "{{ " + Repeat("[", 5000) + Repeat("]", 5000) + " }}",
        "{{ " + Repeat("{'a': ", 5000) + "1" + Repeat("}", 5000) + " }}",
        "{{ " + Repeat("not ", 5000) + "1 }}",
        "{{ " + Repeat("-", 5000) + "1 }}",
        "{{ " + Repeat("x(", 5000) + Repeat(")", 5000) + " }}",
        Repeat("{% if 1 %}", 5000) + Repeat("{% endif %}", 5000),
        Repeat("{% for i in [1] %}", 5000) + Repeat("{% endfor %}", 5000),
    };

    [Theory]
    [MemberData(nameof(DeepTemplates))]
    public void Parse_DeepNesting_IsASyntaxErrorNotAStackOverflow(string template)
    {
        // Was: a few thousand levels overflowed the parser's stack and ended the process.
        var e = RenderFails(template);

        Assert.Equal(JinjaErrorKind.Syntax, e.Kind);
        Assert.Equal($"expressions and blocks nested deeper than {Parser.MaxNesting} levels", e.Reason);
        Assert.Equal(("deep.sls", 1), (e.TemplateName, e.Line));
    }

    public static TheoryData<string> LongChains => new()
    {
        "{{ 1" + Repeat(" + 1", 5000) + " }}",
        "{{ x" + Repeat("|string", 5000) + " }}",
        "{{ x" + Repeat(".a", 5000) + " }}",
        "{{ x" + Repeat("[0]", 5000) + " }}",
        "{{ x" + Repeat(" is defined", 1) + Repeat(" and x", 5000) + " }}",
    };

    [Theory]
    [MemberData(nameof(LongChains))]
    public void Parse_LongChain_IsASyntaxErrorNotAStackOverflowWhenRendered(string template)
    {
        // Was: the chain parsed in a loop, then rendering recursed once per link and overflowed the stack.
        var e = RenderFails(template);

        Assert.Equal(JinjaErrorKind.Syntax, e.Kind);
        Assert.Equal($"expression chained or nested deeper than {Parser.MaxTreeDepth} levels", e.Reason);
        Assert.Equal("deep.sls", e.TemplateName);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_Renders()
    {
        var levels = Parser.MaxNesting - 2;

        var text = new JinjaEnvironment().Render("{{ " + Repeat("(", levels) + "1" + Repeat(")", levels) + " }}"
            + Repeat("{% if 1 %}", levels) + "y" + Repeat("{% endif %}", levels) + "{{ 1" + Repeat(" + 1", 300) + " }}");

        Assert.Equal("1y301", text);
    }

    [Fact]
    public void Render_UnboundedMacroRecursion_IsARecursionError()
    {
        var e = RenderFails("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}");

        Assert.Equal(JinjaErrorKind.Runtime, e.Kind);
        Assert.Equal("maximum recursion depth exceeded", e.Reason);
    }

    [Theory]
    [InlineData("{% set a = [1] %}{% set _ = a.append(a) %}{{ a }}", "[1, [...]]")]
    [InlineData("{% set d = {} %}{% set _ = d.update({'k': d}) %}{{ d }}", "{'k': {...}}")]
    [InlineData("{% set a = [] %}{% set b = [a] %}{% set _ = a.append(b) %}{{ a }} {{ a == a }}", "[[[...]]] True")]
    public void Render_ValueThatContainsItself_PrintsLikePython(string template, string expected)
    {
        // Was: printing recursed into the value forever and overflowed the stack.
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{% set a = [] %}{% set _ = a.append(a) %}{{ a|tojson }}")]
    [InlineData("{% set a = [] %}{% set _ = a.append(a) %}{{ a|yaml }}")]
    [InlineData("{% set a = [] %}{% set _ = a.append(a) %}{{ a|flatten }}")]
    [InlineData("{% set a = [] %}{% set _ = a.append(a) %}{% set b = [] %}{% set _ = b.append(b) %}{{ a == b }}")]
    [InlineData("{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}")]
    public void Render_WalkThatCannotEnd_IsARecursionError(string template)
    {
        // Was: a stack overflow that ended the process.
        var e = RenderFails(template);

        Assert.Equal(JinjaErrorKind.Runtime, e.Kind);
        Assert.Equal("maximum recursion depth exceeded", e.Reason);
        Assert.Equal(("deep.sls", 1), (e.TemplateName, e.Line));
    }

    [Theory]
    [InlineData("{{ 'ab' * 10000000000 }}")]
    [InlineData("{{ 'ab' * 2000000000 }}")]
    [InlineData("{{ ([1] * 300000000)|length }}")]
    [InlineData("{{ ([[]] * 1000001)|length }}")]
    [InlineData("{% set ns = namespace(l=[1]) %}{% for i in range(30) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}")]
    [InlineData("{{ 'x'.center(2000000000)|length }}")]
    [InlineData("{{ 'x'.ljust(2000000000)|length }}")]
    [InlineData("{{ 'x'.rjust(2000000000)|length }}")]
    [InlineData("{{ 'x'.zfill(2000000000)|length }}")]
    [InlineData("{{ '%2000000000d' % 1 }}")]
    [InlineData("{{ '%.2000000000f' % 1 }}")]
    [InlineData("{{ '{:>2000000000}'.format(1)|length }}")]
    [InlineData("{{ 'x'|center(2000000000)|length }}")]
    [InlineData("{{ 'x\ny'|indent(2000000000)|length }}")]
    [InlineData("{{ [1]|tojson(indent=2000000000)|length }}")]
    [InlineData("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}")]
    [InlineData("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}")]
    [InlineData("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'x' * 100000 }}{% endfor %}{% endfor %}")]
    public void Render_HugeResult_IsAMemoryErrorBeforeItIsAllocated(string template)
    {
        // Was: gigabytes allocated (OutOfMemoryException), or a negative StringBuilder capacity from an int overflow.
        var e = Assert.Throws<JinjaException>(() => new JinjaEnvironment().Render(template));

        Assert.Equal(JinjaErrorKind.Runtime, e.Kind);
        Assert.StartsWith("MemoryError: ", e.Reason, StringComparison.Ordinal);
        Assert.Matches($"the limit of ({JinjaLimits.MaxLength}|{JinjaLimits.MaxItems})", e.Reason);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("{{ [1, 2]|slice(-2)|list }} {{ ()|slice(-1)|list }} {{ [1, 2, 3]|slice(2)|list }}", "[] [] [[1, 2], [3]]")]
    [InlineData("{{ ('' * 9223372036854775807)|length }} {{ ([[]] * 1000000)|length }}", "0 1000000")]
    [InlineData("{{ ([] * 9223372036854775807)|length }}", "0")]
    [InlineData("{{ 8|center(-9223372008) }}|{{ 'x'.ljust(-5) }}|{{ 'ab'|center(-2147483648) }}", "8|x|ab")]
    [InlineData("{{ ('ab' * 3)|length }} {{ '-' * 80 == '-'.center(80, '-') }} {{ 'x'.zfill(5) }} {{ '%5d|%-3s|' % (42, 'a') }}", "6 True 0000x    42|a  |")]
    public void Render_RepetitionAndPaddingWithinTheLimit_StillWork(string template, string expected)
    {
        // An empty sequence repeated any number of times is empty at once (it used to loop n times).
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Fact]
    public void Render_FormatWidthPastAMachineInteger_IsAValueError()
    {
        var e = Assert.Throws<JinjaException>(() => new JinjaEnvironment().Render("{{ '{:>99999999999999999999}'.format(1) }}"));

        Assert.Equal("Too many decimal digits in format string", e.Reason);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("{{ 'ab cd'|wordwrap(0) }}", "invalid width 0 (must be > 0)")]
    [InlineData("{{ [1, 2]|slice(0)|list }}", "integer division or modulo by zero")]
    [InlineData("{% set v = {}.update('}') %}", "dictionary update sequence element #0 has length 1; 2 is required")]
    [InlineData("{{ dict([('a', 1), (1, 2, 3)]) }}", "dictionary update sequence element #1 has length 3; 2 is required")]
    [InlineData("{{ [1, 2]|slice(4611686018427387904)|list }}", "MemoryError: the list of slices would have 4611686018427387904 items, past the limit of 1000000")]
    [InlineData("{{ range(3)|slice(4611904)|list|length }}", "MemoryError: the list of slices would have 4611904 items, past the limit of 1000000")]
    [InlineData("{{ 'ab cd'|wordwrap(-3) }}", "invalid width -3 (must be > 0)")]
    [InlineData("{{ []|base64_decode }}", "binascii.Error: Invalid base64-encoded string")]
    [InlineData("{{ grains|groupby(6) }}", "str object has no element 6")]
    public void Render_BadFilterArgument_IsAJinjaErrorNotAnEngineFault(string template, string reason)
    {
        // Was: wordwrap(0) looped until memory ran out; base64_decode raised FormatException; a failing comparison in a
        // sort surfaced as "Failed to compare two elements in the array" (InvalidOperationException).
        var context = new Dictionary<string, object?> { ["grains"] = new Dictionary<string, object?> { ["os"] = "Debian", ["id"] = "m1" } };

        var e = Assert.Throws<JinjaException>(() => new JinjaEnvironment().Render(template, context));

        Assert.Equal(reason, e.Reason);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("{{ 2|truncate(2147483647) }}", "2")]
    [InlineData("{{ 'abc def'|truncate(9223372036854775807, leeway=9223372036854775807) }}", "abc def")]
    [InlineData("{{ 'hello world foo'|truncate(8, leeway=0) }}", "hello...")]
    public void Render_TruncateWithHugeLength_KeepsTheString(string template, string expected)
    {
        // Was: length + leeway overflowed int and the cut failed with ArgumentOutOfRangeException.
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{{ (range(100000)|list + range(100000)|list)|unique|list|length }}", "100000")]
    [InlineData("{{ range(100000)|difference([])|length }} {{ range(100000)|difference(range(100000)|list)|length }}", "100000 0")]
    [InlineData("{{ range(100000)|intersect(range(50000, 150000)|list)|length }}", "50000")]
    [InlineData("{{ range(100000)|union(range(100000)|list)|length }}", "100000")]
    [InlineData("{{ range(100000)|symmetric_difference(range(50000, 150000)|list)|length }}", "100000")]
    public void Render_SetFiltersOnLongLists_AreLinear(string template, string expected)
    {
        // Was: every item compared with all the others; range(10000)|unique and |difference([]) ran for minutes.
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{{ [1, 2, [3], {'a': 1}, 'x']|difference([1.0, [3], 'x'])|list }}", "[2, {'a': 1}]")]
    [InlineData("{{ [true, 2, [3]]|intersect([1, [3]])|list }}", "[True, [3]]")]
    [InlineData("{{ [1, [2]]|symmetric_difference([[2], 3])|list }}", "[1, 3]")]
    public void Render_SetFilters_KeepPythonEquality(string template, string expected)
    {
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{{ [1, 1.0, true, 2, 'a', 'A', none, none, [1], [1], {'a': 1}, {'a': 1}, 1.5, 1.5, 0, false]|unique|list }}", "[1, 2, 'a', 'A', None, [1], {'a': 1}, 1.5, 0]")]
    public void Render_Unique_KeepsPythonEquality(string template, string expected)
    {
        Assert.Equal(expected, new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{{ '%c' % 99999999 }}", "%c arg not in range(0x110000)")]
    [InlineData("{{ '%c' % -1 }}", "%c arg not in range(0x110000)")]
    [InlineData("{{ '{:c}'.format(1114112) }}", "%c arg not in range(0x110000)")]
    [InlineData("{{ '%c' % 1.5 }}", "%c requires int or char")]
    public void Render_CharacterCodeOutOfRange_IsAPythonError(string template, string reason)
    {
        // Was: ArgumentOutOfRangeException from char.ConvertFromUtf32 (or InvalidCastException for a float).
        var e = Assert.Throws<JinjaException>(() => new JinjaEnvironment().Render(template));

        Assert.Equal(reason, e.Reason);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("{{ '%c%c' % (65, 128512) }}|{{ ('%c' % 55296)|length }}", "A\U0001F600|1")]
    [InlineData("{{ (-9223372036854775807 - 1)|abs }} {{ (-5)|abs }}", "9.223372036854776e+18 5")]
    public void Render_CharacterCodesAndAbs_AtTheEdges(string template, string expected)
    {
        // abs(-2**63) was an OverflowException.
        Assert.Equal(System.Text.RegularExpressions.Regex.Unescape(expected), new JinjaEnvironment().Render(template));
    }

    [Theory]
    [InlineData("{{ '' is match('[') }}", "re.error: ")]
    [InlineData("{{ 'a'|regex_search('(') }}", "re.error: ")]
    [InlineData("{{ 'a'|regex_replace('[', 'b') }}", "re.error: ")]
    [InlineData("{{ ('\U0001F642')[1]|load_json }}", "Unable to load json from ")]
    public void Render_InvalidRegexOrJson_IsAJinjaError(string template, string reasonStart)
    {
        // Was: RegexParseException, and for a lone surrogate System.Text.Json's ArgumentException.
        var e = Assert.Throws<JinjaException>(() => new JinjaEnvironment().Render(template));

        Assert.StartsWith(reasonStart, e.Reason, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }
}
