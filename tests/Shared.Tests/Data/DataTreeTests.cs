using System.Text.Json;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public class DataTreeTests
{
    public static TheoryData<object?, object?> Scalars => new()
    {
        { null, null },
        { "s", "s" },
        { true, true },
        { 5, 5L },
        { (short)5, 5L },
        { (byte)5, 5L },
        { (sbyte)-5, -5L },
        { (ushort)5, 5L },
        { 5u, 5L },
        { 5ul, 5L },
        { ulong.MaxValue, (double)ulong.MaxValue },
        { 1.5f, 1.5 },
        { 2.5m, 2.5 },
        { 'c', "c" },
        { new byte[] { 1, 2, 3 }, "AQID" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Normalize_Scalar_BecomesCanonicalType(object? input, object? expected)
    {
        Assert.Equal(expected, DataTree.Normalize(input));
    }

    [Fact]
    public void Normalize_ObjectKeyedMap_StringifiesKeysAndKeepsOrder()
    {
        var input = new Dictionary<object, object?> { ["z"] = 1, [2] = "two", [true] = new object[] { (byte)1, "x" } };

        var map = Assert.IsType<Dictionary<string, object?>>(DataTree.Normalize(input));

        Assert.Equal(["z", "2", "True"], map.Keys);
        Assert.Equal(1L, map["z"]);
        Assert.Equal([1L, "x"], Assert.IsType<List<object?>>(map["True"]));
    }

    [Fact]
    public void Normalize_StringMap_NormalizesNestedValues()
    {
        var input = new Dictionary<string, object?> { ["a"] = new[] { 1, 2 } };

        var map = Assert.IsType<Dictionary<string, object?>>(DataTree.Normalize(input));

        Assert.Equal([1L, 2L], Assert.IsType<List<object?>>(map["a"]));
    }

    [Fact]
    public void Normalize_JsonElement_BecomesDataModel()
    {
        using var document = JsonDocument.Parse("""{"a": [1, 2.5, "x", null, true]}""");

        var map = Assert.IsType<Dictionary<string, object?>>(DataTree.Normalize(document.RootElement));

        Assert.Equal([1L, 2.5, "x", null, true], Assert.IsType<List<object?>>(map["a"]));
    }

    [Fact]
    public void Normalize_DateTimeOffset_IsIso8601()
    {
        var value = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", DataTree.Normalize(value));
    }

    [Fact]
    public void ToJson_Map_KeepsInsertionOrder()
    {
        var map = new Dictionary<string, object?> { ["zeta"] = 1L, ["alpha"] = 2L, ["mid"] = 3L };

        Assert.Equal("""{"zeta":1,"alpha":2,"mid":3}""", DataTree.ToJson(map, indent: false));
    }

    [Fact]
    public void ToJson_Indented_UsesFourSpaces()
    {
        Assert.Equal("{\n    \"a\": 1\n}", DataTree.ToJson(new Dictionary<string, object?> { ["a"] = 1L }).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToJson_NonAscii_IsNotEscaped()
    {
        Assert.Equal("\"héllo <b>\"", DataTree.ToJson("héllo <b>", indent: false));
    }

    [Fact]
    public void ToJsonFromJson_NestedTree_RoundTrips()
    {
        var tree = new Dictionary<string, object?>
        {
            ["z"] = new List<object?> { 1L, -2L, 2.5, "s", null, true, false },
            ["a"] = new Dictionary<string, object?> { ["y"] = new Dictionary<string, object?>(), ["b"] = new List<object?>() },
            ["big"] = long.MaxValue,
            ["unicode"] = "ünï\n\"q\"",
        };

        var back = DataTree.FromJson(DataTree.ToJson(tree));

        Assert.Equal(DataTree.ToJson(tree), DataTree.ToJson(back));
        var map = Assert.IsType<Dictionary<string, object?>>(back);
        Assert.Equal(["z", "a", "big", "unicode"], map.Keys);
        Assert.Equal(["y", "b"], Assert.IsType<Dictionary<string, object?>>(map["a"]).Keys);
        Assert.Equal(long.MaxValue, map["big"]);
        Assert.Equal("ünï\n\"q\"", map["unicode"]);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-3.0)]
    [InlineData(1e20)]
    [InlineData(0.1)]
    public void ToJsonFromJson_Double_StaysDouble(double value)
    {
        var back = DataTree.FromJson(DataTree.ToJson(value, indent: false));

        Assert.Equal(value, Assert.IsType<double>(back));
    }

    [Fact]
    public void ToJson_NonFiniteDouble_WritesString()
    {
        Assert.Equal("\"NaN\"", DataTree.ToJson(double.NaN, indent: false));
    }

    [Fact]
    public void FromJson_Numbers_IntegersAreLongAndOthersDouble()
    {
        var list = Assert.IsType<List<object?>>(DataTree.FromJson("[1, 1.0, 1e2, 99999999999999999999]"));

        Assert.IsType<long>(list[0]);
        Assert.IsType<double>(list[1]);
        Assert.IsType<double>(list[2]);
        Assert.IsType<double>(list[3]);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(0L, false)]
    [InlineData(7L, true)]
    [InlineData(0.0, false)]
    [InlineData(0.1, true)]
    [InlineData("", false)]
    [InlineData("False", true)]
    public void IsTruthy_Scalar_FollowsPython(object? value, bool expected)
    {
        Assert.Equal(expected, DataTree.IsTruthy(value));
    }

    [Fact]
    public void IsTruthy_Collections_TrueWhenNotEmpty()
    {
        Assert.False(DataTree.IsTruthy(new List<object?>()));
        Assert.True(DataTree.IsTruthy(new List<object?> { null }));
        Assert.False(DataTree.IsTruthy(new Dictionary<string, object?>()));
        Assert.True(DataTree.IsTruthy(new Dictionary<string, object?> { ["a"] = null }));
    }

    [Theory]
    [InlineData(null, "None")]
    [InlineData(true, "True")]
    [InlineData(false, "False")]
    [InlineData(12L, "12")]
    [InlineData(1.5, "1.5")]
    public void KeyToString_Scalar_RendersLikeSalt(object? key, string expected)
    {
        Assert.Equal(expected, DataTree.KeyToString(key));
    }
}
