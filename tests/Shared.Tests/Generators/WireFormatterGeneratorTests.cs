using MessagePack;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Generators;

namespace Orchestrator.Shared.Tests.Generators;

/// <summary>The source generator run on small compilations: what it writes, and the build errors it gives for wire types it cannot serve.</summary>
public sealed class WireFormatterGeneratorTests
{
    private const string Resolver = """
        namespace Orchestrator.Shared.Protocol
        {
            public sealed partial class WireResolver
            {
                private static partial object? CreateGeneratedFormatter(System.Type type);
            }
        }
        """;

    // The framework the tests run on, and MessagePack's attributes.
    private static readonly Lazy<List<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) == "netstandard.dll")
            .Append(typeof(MessagePackObjectAttribute).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList());

    private static (IReadOnlyList<Diagnostic> Diagnostics, string Generated) Run(string source)
    {
        var compilation = CSharpCompilation.Create(
            "WireTypes",
            [CSharpSyntaxTree.ParseText(Resolver), CSharpSyntaxTree.ParseText(source)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new WireFormatterGenerator()).RunGenerators(compilation);
        var result = driver.GetRunResult();
        return (result.Diagnostics, string.Join("\n", result.GeneratedTrees.Select(t => t.ToString())));
    }

    [Fact]
    public void ASupportedType_GetsAFormatter_WithNilInTheKeyGaps()
    {
        var (diagnostics, generated) = Run("""
            using MessagePack;
            namespace Wire
            {
                [MessagePackObject]
                public sealed class Ping
                {
                    [Key(0)] public string Id { get; set; } = "";
                    [Key(2)] public System.Collections.Generic.List<string> Tags { get; set; } = new();
                }
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Contains("if (type == typeof(global::Wire.Ping)) return new Wire_PingFormatter();", generated);
        Assert.Contains("writer.WriteArrayHeader(3);", generated);
        Assert.Contains("writer.Write(value.Id);\n            writer.WriteNil();", generated.Replace("\r\n", "\n"));
        Assert.Contains("WireValues.ReadStrings(ref reader)", generated);
    }

    [Theory]
    [InlineData("[Key(0)] public System.DateTime When { get; set; }", "has type System.DateTime")]
    [InlineData("[Key(0)] public string Id { get; init; } = \"\";", "public getter and setter")]
    [InlineData("[Key(0)] public string A { get; set; } = \"\"; [Key(0)] public string B { get; set; } = \"\";", "key 0 is used twice")]
    [InlineData("[Key(\"id\")] public string Id { get; set; } = \"\";", "integer key")]
    [InlineData("[Key(0)] public string Id = \"\";", "public getter and setter")]
    public void AMemberItCannotServe_IsABuildError_NamingIt(string members, string why)
    {
        var (diagnostics, _) = Run($$"""
            using MessagePack;
            namespace Wire
            {
                [MessagePackObject]
                public sealed class Bad
                {
                    {{members}}
                }
            }
            """);

        var error = Assert.Single(diagnostics);
        Assert.Equal("ORCHGEN001", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("Bad", error.GetMessage());
        Assert.Contains(why, error.GetMessage());
    }

    [Fact]
    public void ATypeWithoutAParameterlessConstructor_IsABuildError()
    {
        var (diagnostics, _) = Run("""
            using MessagePack;
            namespace Wire
            {
                [MessagePackObject]
                public sealed class Bad
                {
                    public Bad(string id) { Id = id; }
                    [Key(0)] public string Id { get; set; }
                }
            }
            """);

        Assert.Contains("parameterless constructor", Assert.Single(diagnostics).GetMessage());
    }
}
