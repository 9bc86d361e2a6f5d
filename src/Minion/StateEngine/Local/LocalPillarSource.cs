using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>
/// Compiles this minion's pillar from local <c>pillar_roots</c> (for <c>orch call --local</c>): the pillar top file picks SLS
/// files per environment, each is rendered (shebang → template → YAML) and deep-merged in order; <c>include</c> works.
/// Render problems are reported under <c>_errors</c>, as Salt does.
/// </summary>
public sealed class LocalPillarSource : IPillarSource
{
    private readonly FileClientSlsSource _source;
    private readonly SlsRenderPipeline _pipeline;
    private readonly Func<string, string, bool> _matcher;
    private readonly Dictionary<string, object?> _grains;
    private readonly Dictionary<string, object?> _opts;

    public LocalPillarSource(
        IReadOnlyDictionary<string, IReadOnlyList<string>> pillarRoots,
        string minionId,
        Dictionary<string, object?>? grains = null,
        Dictionary<string, object?>? opts = null,
        ISlsTemplateRenderer? renderer = null,
        Func<string, string, bool>? matcher = null)
    {
        _source = new FileClientSlsSource(new LocalFileClient(pillarRoots));
        _pipeline = new SlsRenderPipeline(renderer);
        _matcher = matcher ?? TopFile.IdMatcher(minionId);
        _grains = grains ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        _opts = opts ?? new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    public async Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
    {
        var pillar = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<object?>();
        var top = await _source.GetAsync("top", saltenv, cancellationToken).ConfigureAwait(false);
        if (top is null)
        {
            return pillar;
        }
        Dictionary<string, List<string>> matches;
        try
        {
            matches = TopFile.Matches(_pipeline.Render(top.Text, top.RelativePath, Context("top", saltenv, top, pillar)), _matcher);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["_errors"] = new List<object?> { $"Rendering Primary Top file failed: {e.Message}" } };
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (env, slsList) in matches)
        {
            foreach (var sls in slsList)
            {
                await RenderAsync(sls, env, pillar, errors, seen, cancellationToken).ConfigureAwait(false);
            }
        }
        if (errors.Count > 0)
        {
            pillar["_errors"] = errors;
        }
        return pillar;
    }

    private Dictionary<string, object?> Context(string sls, string env, SlsSourceFile file, Dictionary<string, object?> pillar)
    {
        var context = HighStateBuilder.DefaultContext(sls, env, file);
        context["grains"] = _grains;
        context["opts"] = _opts;
        context["pillar"] = pillar;
        return context;
    }

    private async Task RenderAsync(string sls, string env, Dictionary<string, object?> pillar, List<object?> errors,
        HashSet<string> seen, CancellationToken cancellationToken)
    {
        if (!seen.Add($"{env}:{sls}"))
        {
            return;
        }
        var file = await _source.GetAsync(sls, env, cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            errors.Add($"Specified SLS '{sls}' in environment '{env}' is not available on the salt master");
            return;
        }
        object? data;
        try
        {
            data = _pipeline.Render(file.Text, file.RelativePath, Context(sls, env, file, pillar));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"Rendering SLS '{sls}' failed, render error:\n{e.Message}");
            return;
        }
        if (data is null)
        {
            return;
        }
        if (data is not Dictionary<string, object?> dict)
        {
            errors.Add($"SLS '{sls}' does not render to a dictionary");
            return;
        }
        if (dict.Remove("include", out var include) && include is List<object?> includes)
        {
            foreach (var item in includes)
            {
                var name = item is Dictionary<string, object?> { Count: > 0 } d ? d.Keys.First() : PyText.Str(item);
                if (name.StartsWith('.'))
                {
                    var parent = sls.Contains('.', StringComparison.Ordinal) ? sls[..sls.LastIndexOf('.')] : string.Empty;
                    name = (file.RelativePath.EndsWith("init.sls", StringComparison.Ordinal) ? sls : parent) + name;
                    name = name.TrimStart('.');
                }
                await RenderAsync(name, env, pillar, errors, seen, cancellationToken).ConfigureAwait(false);
            }
        }
        Merge(pillar, dict);
    }

    /// <summary>Salt's default pillar merge (<c>smart</c>/recurse): mappings merge recursively, anything else is replaced.</summary>
    public static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> source)
    {
        foreach (var (key, value) in source)
        {
            if (value is Dictionary<string, object?> sub && target.GetValueOrDefault(key) is Dictionary<string, object?> existing)
            {
                Merge(existing, sub);
            }
            else
            {
                target[key] = value;
            }
        }
    }
}
