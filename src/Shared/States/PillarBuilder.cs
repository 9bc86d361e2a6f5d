using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.States;

/// <summary>
/// Compiles one minion's pillar from a pillar tree: renders <c>top.sls</c>, keeps the SLS whose targets match the minion,
/// renders each (Jinja, then YAML) and merges them recursively in top-file order. Errors name the SLS and file.
/// </summary>
/// <remarks>
/// Templates see what Salt gives pillar SLS: <c>grains</c>, <c>opts</c>, the <c>pillar</c> compiled so far, <c>saltenv</c>,
/// <c>sls</c> with its path variables (<see cref="SlsTemplateContext"/>), and <c>salt</c> when <paramref name="salt"/> builds
/// one: it gets the minion and the pillar dictionary being compiled (filled as the SLS render), once per compilation.
/// An SLS that fails to render is reported as Salt reports it, "Rendering SLS 'x' failed. Please see master log for
/// details.", and its error goes to <paramref name="renderFailed"/> (the log of the master or of <c>orch call</c>).
/// </remarks>
public sealed class PillarBuilder(
    ISlsTree roots,
    IReadOnlyDictionary<string, object?>? nodegroups = null,
    Func<MinionFacts, Dictionary<string, object?>, object?>? salt = null,
    Action<string, Exception>? renderFailed = null)
{
    /// <summary>The result of a compilation: the pillar, and every error met (empty when all rendered).</summary>
    public sealed record Result(Dictionary<string, object?> Pillar, IReadOnlyList<string> Errors);

    /// <summary>Compiles the pillar of <paramref name="minion"/> in <paramref name="saltenv"/> (all environments when null).</summary>
    public Result Build(MinionFacts minion, IReadOnlyDictionary<string, object?> opts, string? saltenv = null)
    {
        var pillar = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<string>();
        var envs = saltenv is null ? roots.Environments.ToList() : [saltenv];
        var saltValue = salt?.Invoke(minion, pillar);
        foreach (var env in envs)
        {
            var renderer = new JinjaTemplateRenderer(name => roots.Find(env, name)?.Text);
            var pipeline = new SlsRenderPipeline(renderer);
            var context = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["grains"] = minion.Grains,
                ["opts"] = opts,
                ["pillar"] = pillar,
                ["saltenv"] = env,
                ["sls"] = "top",
            };
            if (saltValue is not null)
            {
                context["salt"] = saltValue;
            }
            var top = roots.Find(env, "top.sls");
            if (top is null)
            {
                continue;
            }
            object? topData;
            try
            {
                topData = pipeline.Render(top.Text, "top.sls", context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add($"Pillar top file {top.Location}: {e.Message}");
                continue;
            }
            var matcher = (string expression, string matchType) => TargetMatcher.Matches(
                expression, TargetTypeExtensions.ParseTargetType(string.IsNullOrEmpty(matchType) ? "glob" : matchType), minion, nodegroups);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (matchEnv, slsList) in TopFile.Matches(topData, matcher, env))
            {
                foreach (var sls in slsList)
                {
                    RenderSls(matchEnv, sls, pipeline, context, pillar, errors, seen);
                }
            }
        }
        return new Result(pillar, errors);
    }

    private void RenderSls(
        string env, string sls, SlsRenderPipeline pipeline, Dictionary<string, object?> context, Dictionary<string, object?> pillar,
        List<string> errors, HashSet<string> seen)
    {
        if (!seen.Add(env + ":" + sls))
        {
            return;
        }
        var relative = sls.Replace('.', '/');
        var found = roots.Find(env, relative + ".sls") ?? roots.Find(env, relative + "/init.sls");
        if (found is null)
        {
            errors.Add($"Specified SLS '{sls}' in environment '{env}' is not available on the master");
            return;
        }
        var file = found.Location;
        object? data;
        try
        {
            var name = relative + (file.EndsWith("/init.sls", StringComparison.Ordinal) ? "/init.sls" : ".sls");
            var slsContext = new Dictionary<string, object?>(context, StringComparer.Ordinal);
            foreach (var (key, value) in SlsTemplateContext.For(sls, name, file))
            {
                slsContext[key] = value;
            }
            slsContext["sls"] = sls;
            data = pipeline.Render(found.Text, name, slsContext);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Salt's words in the pillar's _errors (a minion reads them); what went wrong is logged where it is compiled.
            errors.Add($"Rendering SLS '{sls}' failed. Please see master log for details.");
            renderFailed?.Invoke(sls, e);
            return;
        }
        if (data is null)
        {
            return;
        }
        if (data is not Dictionary<string, object?> map)
        {
            errors.Add($"SLS '{sls}' does not render to a mapping ({file})");
            return;
        }
        if (map.Remove("include", out var includes))
        {
            foreach (var include in includes as List<object?> ?? [includes])
            {
                var name = PyText.Str(include);
                // A relative include is relative to the SLS's package: the SLS itself for an init.sls, else its parent.
                var package = file.EndsWith("/init.sls", StringComparison.Ordinal) ? sls : sls[..Math.Max(0, sls.LastIndexOf('.'))];
                RenderSls(env, name.StartsWith('.') ? package + name : name, pipeline, context, pillar, errors, seen);
            }
        }
        Merge(pillar, map);
    }

    /// <summary>Salt's default "smart" merge for pillar: mappings merge recursively, anything else is replaced.</summary>
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
                target[key] = DataTree.Normalize(value);
            }
        }
    }
}
