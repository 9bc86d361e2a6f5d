using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public class PythonJsonTests
{
    private static Dictionary<string, object?> Sample() => new(StringComparer.Ordinal)
    {
        ["zeta"] = 1L,
        ["alpha"] = new List<object?> { 1L, "two", null, true },
        ["nested"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["é"] = 1.5 },
    };

    [Fact]
    public void Dumps_OneLine_AsPythonJsonDumps()
    {
        Assert.Equal("{\"zeta\": 1, \"alpha\": [1, \"two\", null, true], \"nested\": {\"\\u00e9\": 1.5}}", PythonJson.Dumps(Sample()));
    }

    [Fact]
    public void Dumps_SortedAndIndented_AsSaltsPrettyEventOutput()
    {
        Assert.Equal(
            "{\n    \"alpha\": [\n        1,\n        \"two\",\n        null,\n        true\n    ],\n    \"nested\": {\n        \"\\u00e9\": 1.5\n    },\n    \"zeta\": 1\n}",
            PythonJson.Dumps(Sample(), sortKeys: true, indent: 4));
    }
}
