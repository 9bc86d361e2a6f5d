using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>Builds the file client and pillar source for masterless runs from minion opts (<c>file_roots</c>, <c>pillar_roots</c>).</summary>
public static class LocalStateServices
{
    /// <summary>Reads <c>{env: [dirs]}</c> from an opts key; defaults to <c>/srv/salt</c> / <c>/srv/pillar</c> like Salt.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Roots(Dictionary<string, object?> opts, string key)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (opts.GetValueOrDefault(key) is Dictionary<string, object?> envs)
        {
            foreach (var (env, dirs) in envs)
            {
                result[env] = (dirs as List<object?> ?? [dirs]).Where(d => d is not null).Select(PyText.Str).ToList();
            }
        }
        else
        {
            result["base"] = [key == "pillar_roots" ? "/srv/pillar" : "/srv/salt"];
        }
        return result;
    }

    public static IFileClient FileClient(Dictionary<string, object?> opts) => new LocalFileClient(Roots(opts, "file_roots"));

    public static IPillarSource PillarSource(
        Dictionary<string, object?> opts,
        string minionId,
        Dictionary<string, object?> grains,
        ISlsTemplateRenderer? renderer = null,
        Func<string, string, bool>? matcher = null) =>
        new LocalPillarSource(Roots(opts, "pillar_roots"), minionId, grains, opts, renderer, matcher);
}
