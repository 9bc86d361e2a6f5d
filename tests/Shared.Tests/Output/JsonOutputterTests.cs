using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class JsonOutputterTests
{
    private static readonly JsonOutputter _json = new();

    [Fact]
    public void Json_MixedData_MatchesPythonJsonDumps()
    {
        const string expected = "{\n    \"web1\": {\n        \"a\": \"x\\ny\",\n        \"b\": [],\n        \"c\": {},\n        \"d\": null,\n        \"e\": false,\n        \"f\": 1,\n        \"g\": 1.5,\n        \"h\": [\n            \"p\",\n            {\n                \"q\": 1,\n                \"r\": [\n                    1,\n                    2\n                ]\n            },\n            [\n                \"r\",\n                \"s\"\n            ],\n            [],\n            {}\n        ],\n        \"i\": \"\",\n        \"z_last\": {\n            \"k\": {\n                \"deep\": true\n            }\n        }\n    }\n}";
        Assert.Equal(expected, _json.Format(Samples.Mixed(), OutputOptions.Default));
    }

    [Fact]
    public void Json_FloatsAndEscapes_MatchPython()
    {
        var data = Samples.Map(("a", 1.0), ("b", 1e16), ("c", double.NaN), ("d", double.NegativeInfinity), ("e", "q\"\\\n\t\u0001é"), ("f", 0.1));
        const string expected = "{\n    \"a\": 1.0,\n    \"b\": 1e+16,\n    \"c\": NaN,\n    \"d\": -Infinity,\n    \"e\": \"q\\\"\\\\\\n\\t\\u0001é\",\n    \"f\": 0.1\n}";
        Assert.Equal(expected, _json.Format(data, OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Json_NegativeIndent_PrintsOneLine()
    {
        const string expected = "{\"web1\": {\"a\": \"x\\ny\", \"b\": [], \"c\": {}, \"d\": null, \"e\": false, \"f\": 1, \"g\": 1.5, \"h\": [\"p\", {\"q\": 1, \"r\": [1, 2]}, [\"r\", \"s\"], [], {}], \"i\": \"\", \"z_last\": {\"k\": {\"deep\": true}}}}";
        Assert.Equal(expected, _json.Format(Samples.Mixed(), OutputOptions.Default with { Indent = -1 }));
    }

    [Fact]
    public void Json_ZeroIndent_PrintsNewlinesOnly()
    {
        var data = Samples.Map(("a", Samples.Seq(1L, Samples.Map())));
        Assert.Equal("{\n\"a\": [\n1,\n{}\n]\n}", _json.Format(data, OutputOptions.Default with { Indent = 0 }));
    }

    [Fact]
    public void Json_NotStatic_PrintsOneDocumentPerMinion()
    {
        Assert.Equal("{\n    \"web2\": true\n}\n{\n    \"web1\": false\n}", _json.Format(Samples.TwoMinions(), OutputOptions.Default));
    }

    [Fact]
    public void Json_Static_MergesMinionsIntoOneDocument()
    {
        Assert.Equal("{\n    \"web2\": true,\n    \"web1\": false\n}", _json.Format(Samples.TwoMinions(), OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Json_Scalars_Serialize()
    {
        Assert.Equal("null", _json.Format(null, OutputOptions.Default));
        Assert.Equal("\"x\"", _json.Format("x", OutputOptions.Default));
        Assert.Equal("[]", JsonOutputter.Serialize(Array.Empty<object>(), 4));
    }
}
