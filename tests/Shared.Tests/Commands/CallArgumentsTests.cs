using Orchestrator.Shared.Commands;

namespace Orchestrator.Shared.Tests.Commands;

public class CallArgumentsTests
{
    public static TheoryData<string, object?> TypedValues => new()
    {
        { "1", 1L },
        { "-42", -42L },
        { "0", 0L },
        { "0755", "0755" },
        { "007", "007" },
        { "1.5", 1.5 },
        { "-0.25", -0.25 },
        { "1e5", "1e5" },
        { "true", true },
        { "True", true },
        { "false", false },
        { "False", false },
        { "None", null },
        { "null", null },
        { "hello", "hello" },
        { "", "" },
        { "web*", "web*" },
        { "[1, 2", "[1, 2" },
    };

    [Theory]
    [MemberData(nameof(TypedValues))]
    public void Typed_Scalar_TypesLikeYamlifyArg(string text, object? expected)
    {
        var value = CallArguments.Typed(text);

        Assert.Equal(expected, value);
        Assert.Equal(expected?.GetType(), value?.GetType());
    }

    [Fact]
    public void Typed_FlowList_BecomesTypedList()
    {
        var list = Assert.IsType<List<object?>>(CallArguments.Typed("[1, two, 'three', true, 0755]"));

        Assert.Equal([1L, "two", "three", true, "0755"], list);
    }

    [Fact]
    public void Typed_FlowMap_BecomesDictionaryInOrder()
    {
        var map = Assert.IsType<Dictionary<string, object?>>(CallArguments.Typed("{b: 1, a: [x], c: {d: null}}"));

        Assert.Equal(["b", "a", "c"], map.Keys);
        Assert.Equal(1L, map["b"]);
        Assert.Equal(["x"], Assert.IsType<List<object?>>(map["a"]));
        Assert.Null(Assert.IsType<Dictionary<string, object?>>(map["c"])["d"]);
    }

    [Fact]
    public void Typed_QuotedScalarInFlow_StaysString()
    {
        var list = Assert.IsType<List<object?>>(CallArguments.Typed("[\"1\", 'true']"));

        Assert.Equal(["1", "true"], list);
    }

    [Fact]
    public void Typed_MapWithKeysEqualAfterStringifying_DoesNotThrow()
    {
        var value = CallArguments.Typed("{true: a, True: b, 1: c, 1.0: d}");

        var map = Assert.IsType<Dictionary<string, object?>>(value);
        Assert.Equal(["True", "1"], map.Keys);
        Assert.Equal("b", map["True"]);
        Assert.Equal("d", map["1"]);
    }

    [Fact]
    public void Typed_DuplicateKeys_StaysStringWithoutThrowing()
    {
        Assert.Equal("{a: 1, a: 2}", CallArguments.Typed("{a: 1, a: 2}"));
    }

    [Fact]
    public void Typed_UnterminatedMultilineFlow_StaysString()
    {
        Assert.Equal("[unclosed\nnext: 1", CallArguments.Typed("[unclosed\nnext: 1"));
    }

    [Fact]
    public void Parse_KeyValueWords_BecomeTypedKwargs()
    {
        var parsed = CallArguments.Parse(["name=vim", "refresh=true", "retries=3", "mode=0755", "pkgs=[a, b]"]);

        Assert.Empty(parsed.Args);
        Assert.Equal("vim", parsed.Kwargs["name"]);
        Assert.Equal(true, parsed.Kwargs["refresh"]);
        Assert.Equal(3L, parsed.Kwargs["retries"]);
        Assert.Equal("0755", parsed.Kwargs["mode"]);
        Assert.Equal(["a", "b"], Assert.IsType<List<object?>>(parsed.Kwargs["pkgs"]));
    }

    [Fact]
    public void Parse_MixedWords_KeepsPositionalOrder()
    {
        var parsed = CallArguments.Parse(["first", "k=v", "2", "third"]);

        Assert.Equal(["first", 2L, "third"], parsed.Args);
        Assert.Equal("v", Assert.Single(parsed.Kwargs).Value);
    }

    [Theory]
    [InlineData("echo a=b")]
    [InlineData("a-b=c")]
    [InlineData("=value")]
    [InlineData("1a=b")]
    [InlineData("a.b=c")]
    public void Parse_KeyNotAnIdentifier_StaysPositional(string word)
    {
        var parsed = CallArguments.Parse([word]);

        Assert.Equal([word], parsed.Args);
        Assert.Empty(parsed.Kwargs);
    }

    [Fact]
    public void Parse_ValueContainingEquals_SplitsOnFirst()
    {
        var parsed = CallArguments.Parse(["cmd=a=b"]);

        Assert.Equal("a=b", parsed.Kwargs["cmd"]);
    }

    [Fact]
    public void Parse_EmptyValue_IsEmptyString()
    {
        Assert.Equal("", CallArguments.Parse(["key="]).Kwargs["key"]);
    }

    [Fact]
    public void Parse_RepeatedKey_LastWins()
    {
        Assert.Equal(2L, CallArguments.Parse(["k=1", "k=2"]).Kwargs["k"]);
    }
}
