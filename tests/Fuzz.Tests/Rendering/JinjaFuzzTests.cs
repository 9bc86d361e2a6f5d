using Orchestrator.Fuzz.Tests.Generators;
using Orchestrator.Fuzz.Tests.Harness;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Yaml;
using Xunit.Abstractions;

namespace Orchestrator.Fuzz.Tests.Rendering;

/// <summary>
/// The Jinja engine, and the SLS pipeline (Jinja then YAML) the master runs for pillar and reactor files: every failure is a
/// <see cref="JinjaException"/> (or <see cref="YamlLoadException"/>) naming the template and a line, never a .NET exception
/// from inside the engine (null reference, index, cast, overflow...), a stack overflow, a hang or gigabytes of memory.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class JinjaFuzzTests(ITestOutputHelper output)
{
    private const string Name = "pillar/fuzz.sls";

    // .NET exceptions that mean the engine itself failed, whatever message they carry once wrapped.
    private static readonly Type[] _engineFaults =
    [
        typeof(NullReferenceException), typeof(IndexOutOfRangeException), typeof(InvalidCastException), typeof(ArgumentException),
        typeof(KeyNotFoundException), typeof(InvalidOperationException), typeof(OverflowException), typeof(OutOfMemoryException),
        typeof(DivideByZeroException), typeof(FormatException), typeof(NotSupportedException), typeof(NotImplementedException),
        typeof(InsufficientExecutionStackException),
    ];

    private static Dictionary<string, object?> Context() => new(StringComparer.Ordinal)
    {
        ["grains"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["os"] = "Debian", ["num_cpus"] = 2L, ["ipv4"] = new List<object?> { "10.0.0.1" } },
        ["pillar"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["web"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["port"] = 8080L } },
        ["items"] = new List<object?> { 1L, "a", null, 2.5 },
        ["s"] = "text",
        ["n"] = 3L,
    };

    [Fact]
    public void Parse_and_render_fail_only_with_located_JinjaException() =>
        FuzzRunner.Run(output, "jinja", JinjaInputs.Templates(), Shrink.Text, input =>
        {
            var env = new JinjaEnvironment { Loader = name => name == "x" ? "{% macro y() %}y{% endmacro %}" : null };
            try
            {
                env.Parse(input.Text, Name).Render(Context());
            }
            catch (JinjaException e)
            {
                CheckLocated(e);
            }
        });

    [Fact]
    public void Sls_pipeline_fails_only_with_render_or_yaml_errors() =>
        FuzzRunner.Run(output, "sls", JinjaInputs.Templates(), Shrink.Text, input =>
        {
            var pipeline = new SlsRenderPipeline(new JinjaTemplateRenderer(_ => null));
            object? data;
            try
            {
                data = pipeline.Render(input.Text, Name, Context());
            }
            catch (JinjaException e)
            {
                CheckLocated(e);
                return;
            }
            catch (YamlLoadException e) when (e.Path == Name && e.Line >= 1)
            {
                return;
            }
            DataShape.Check(data);
        });

    private static void CheckLocated(JinjaException e)
    {
        if (e.InnerException is { } inner && _engineFaults.Any(t => t.IsInstanceOfType(inner)))
        {
            throw new FuzzFinding($"engine fault {inner.GetType().Name} surfaced as: {e.Message}", e);
        }
        if (e.TemplateName is null || (e.Line < 1 && e.Kind != JinjaErrorKind.TemplateNotFound))
        {
            throw new FuzzFinding($"JinjaException without template and line: {e.Message}", e);
        }
    }
}
