using Orchestrator.Fuzz.Tests.Generators;
using Orchestrator.Fuzz.Tests.Harness;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;
using Xunit.Abstractions;

namespace Orchestrator.Fuzz.Tests.Rendering;

/// <summary>
/// The YAML/SLS loader on mutated and hostile documents: it either returns a tree the master can serialize, or throws a
/// <see cref="YamlLoadException"/> naming the file and a line; nothing else, no hang, no cycle, no alias bomb.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class YamlFuzzTests(ITestOutputHelper output)
{
    private const string File = "pillar/fuzz.sls";

    [Fact]
    public void Loader_returns_a_tree_or_a_located_YamlLoadException() =>
        FuzzRunner.Run(output, "yaml", YamlInputs.Documents(), Shrink.Text, input => Load(input.Text));

    [Fact]
    public void Plain_scalars_resolve_or_fail_located() =>
        FuzzRunner.Run(output, "yaml-scalars", YamlInputs.Scalars(), Shrink.Text, input => Load(input.Text));

    internal static void Load(string text)
    {
        object? value;
        try
        {
            value = YamlLoader.Load(text, File);
        }
        catch (YamlLoadException e)
        {
            if (e.Path != File || e.Line < 1)
            {
                throw new FuzzFinding($"YamlLoadException without file and line: {e.Message}", e);
            }
            return;
        }
        DataShape.Check(value);
        WireCodec.Serialize(value);
    }
}
