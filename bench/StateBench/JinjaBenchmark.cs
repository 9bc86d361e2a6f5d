using System.Diagnostics;
using System.Text;
using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.StateBench;

internal sealed record JinjaFigures(
    string Template, string Mode, int Threads, long Renders, double Seconds, long OutputBytes, long SourceBytes, long Allocated)
{
    public double PerSecond => Renders / Seconds;

    public double OutputMbPerSecond => OutputBytes / Seconds / (1024 * 1024);

    public double SourceMbPerSecond => SourceBytes / Seconds / (1024 * 1024);

    public double AllocatedPerRender => (double)Allocated / Renders;
}

/// <summary>
/// Render throughput of <see cref="JinjaEnvironment"/>/<see cref="JinjaTemplate"/> for three templates, parsing once and
/// rendering many times, or parsing and rendering each time; on one thread and with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// over two.
/// </summary>
internal static class JinjaBenchmark
{
    private const string Small =
        """
        Hello {{ user.name }}! You have {{ count }} new {{ 'message' if count == 1 else 'messages' }}.
        {% if user.admin %}Role: {{ user.role | upper }}{% else %}Role: user{% endif %}
        Server {{ host }}:{{ port }} ({{ env | default('prod') }})

        """;

    private const string Medium =
        """
        # {{ title | title }}
        {% for item in items %}
        {{ loop.index }}. {{ item.name | upper | replace('_', '-') }} = {{ item.value | round(2) }} [{{ item.tags | join(',') }}]{% if item.value > 50 %} high{% endif %}{% if not loop.last %};{% endif %}
        {% endfor %}
        total={{ items | map(attribute='value') | sum | round(1) }} count={{ items | length }} first={{ (items | first).name }}

        """;

    private const string Macros =
        """
        {% macro field(name, value, type='text') -%}
        <input name="{{ name }}" type="{{ type }}" value="{{ value | e }}">
        {%- endmacro %}
        {% macro row(label, name, value, type='text') -%}
        <tr><th>{{ label | title }}</th><td>{{ field(name, value, type) }}</td></tr>
        {%- endmacro %}
        {% macro table(users) -%}
        <table>{% for u in users %}
        {{ row(u.name, 'email_' ~ loop.index, u.email, 'email') }}{{ row('id', 'id_' ~ loop.index, u.id) }}{% endfor %}
        </table>
        {%- endmacro %}

        """;

    private const string MacroPage =
        """
        {% import 'macros.jinja' as forms %}
        {% from 'macros.jinja' import row, field %}
        <h1>{{ title }}</h1>
        {{ forms.table(users) }}
        {% for u in users %}{{ row('name', 'n' ~ loop.index, u.name) }}{{ field('h' ~ loop.index, u.id, 'hidden') }}
        {% endfor %}

        """;

    private static readonly (string Name, string Source, Func<Dictionary<string, object?>> Context)[] _cases =
    [
        ("small (3 {{ }}, if)", Small, SmallContext),
        ("medium (for 100, filters)", Medium, MediumContext),
        ("macros (import, 20 rows)", MacroPage, MacroContext),
    ];

    public static List<JinjaFigures> Run(Options options, TextWriter log)
    {
        var environment = new JinjaEnvironment
        {
            Loader = name => name == "macros.jinja" ? Macros : null,
        };
        var results = new List<JinjaFigures>();
        foreach (var (name, source, contextFactory) in _cases)
        {
            var context = contextFactory();
            var sample = environment.Parse(source, name).Render(context);
            var outputBytes = Encoding.UTF8.GetByteCount(sample);
            var sourceBytes = Encoding.UTF8.GetByteCount(source);
            Warm(environment, name, source, context);
            foreach (var parseEach in new[] { false, true })
            {
                var mode = parseEach ? "parse+render" : "parse once";
                // One thread for about --jinja-seconds; two threads do the same number of renders.
                var iterations = Calibrate(environment, name, source, context, parseEach, options.JinjaSeconds);
                foreach (var threads in new[] { 1, 2 })
                {
                    var (seconds, allocated) = Measure(environment, name, source, context, parseEach, iterations, threads);
                    var figures = new JinjaFigures(name, mode, threads, iterations, seconds, (long)outputBytes * iterations,
                        (long)sourceBytes * iterations, allocated);
                    results.Add(figures);
                    log.WriteLine($"  {name}, {mode}, {threads} thread(s): {Stats.Rate(figures.PerSecond)} templates/s");
                }
            }
        }
        return results;
    }

    public static string Describe() =>
        $"small: {Encoding.UTF8.GetByteCount(Small)} B source; medium: {Encoding.UTF8.GetByteCount(Medium)} B; "
        + $"macros: {Encoding.UTF8.GetByteCount(MacroPage)} B page + {Encoding.UTF8.GetByteCount(Macros)} B imported (cached by the environment)";

    /// <summary>
    /// One render. With <paramref name="parseEach"/> the source alternates between two texts that render the same (the
    /// second ends with an empty comment) under a per-thread name, so the environment's cache (keyed by name, checked
    /// against the source) never hits and every call lexes and parses.
    /// </summary>
    private static string RenderOnce(JinjaEnvironment environment, string name, string source, string variant,
        Dictionary<string, object?> context, bool parseEach, ref bool flip)
    {
        if (!parseEach)
        {
            // Parse once: the template comes from the environment's cache, checked by name and source as
            // JinjaTemplateRenderer does for every SLS.
            return environment.Parse(source, name).Render(context);
        }
        flip = !flip;
        return environment.Parse(flip ? variant : source, name).Render(context);
    }

    private static string Variant(string source) => source + "{# #}";

    private static void Warm(JinjaEnvironment environment, string name, string source, Dictionary<string, object?> context)
    {
        var variant = Variant(source);
        var flip = false;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < 300)
        {
            RenderOnce(environment, name + "#warm", source, variant, context, true, ref flip);
            RenderOnce(environment, name, source, variant, context, false, ref flip);
        }
    }

    private static int Calibrate(JinjaEnvironment environment, string name, string source, Dictionary<string, object?> context, bool parseEach, double seconds)
    {
        var variant = Variant(source);
        var flip = false;
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds / 4)
        {
            RenderOnce(environment, name + "#calibrate", source, variant, context, parseEach, ref flip);
            count++;
        }
        return Math.Max(10, count * 4);
    }

    private static (double Seconds, long Allocated) Measure(
        JinjaEnvironment environment, string name, string source, Dictionary<string, object?> context, bool parseEach, int iterations, int threads)
    {
        var variant = Variant(source);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        if (threads == 1)
        {
            var flip = false;
            var thisName = name + "#t0";
            for (var i = 0; i < iterations; i++)
            {
                RenderOnce(environment, thisName, source, variant, context, parseEach, ref flip);
            }
        }
        else
        {
            var next = 0;
            Parallel.For(
                0,
                iterations,
                new ParallelOptions { MaxDegreeOfParallelism = threads },
                () => new ThreadState(name + "#t" + Interlocked.Increment(ref next)),
                (_, _, state) =>
                {
                    RenderOnce(environment, state.Name, source, variant, context, parseEach, ref state.Flip);
                    return state;
                },
                _ => { });
        }
        stopwatch.Stop();
        return (stopwatch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }

    private sealed class ThreadState(string name)
    {
        public string Name { get; } = name;

        public bool Flip;
    }

    private static Dictionary<string, object?> SmallContext() => new(StringComparer.Ordinal)
    {
        ["user"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = "Ada", ["admin"] = true, ["role"] = "operator" },
        ["count"] = 3L,
        ["host"] = "salt.example.org",
        ["port"] = 4506L,
    };

    private static Dictionary<string, object?> MediumContext() => new(StringComparer.Ordinal)
    {
        ["title"] = "inventory report",
        ["items"] = Enumerable.Range(0, 100).Select(i => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = $"item_{i}_name",
            ["value"] = i * 1.2345,
            ["tags"] = new List<object?> { "a", $"t{i % 7}", $"g{i % 3}" },
        }).ToList(),
    };

    private static Dictionary<string, object?> MacroContext() => new(StringComparer.Ordinal)
    {
        ["title"] = "Users & <roles>",
        ["users"] = Enumerable.Range(0, 20).Select(i => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = $"user {i}",
            ["email"] = $"user{i}@example.org",
            ["id"] = (long)(1000 + i),
        }).ToList(),
    };
}
