namespace Orchestrator.Minion.StateEngine;

/// <summary>The outcome of a state run: results by tag (Salt's return), or the compile/render errors that stopped it.</summary>
public sealed class StateRunResult(Dictionary<string, Dictionary<string, object?>> states, List<string> errors)
{
    public Dictionary<string, Dictionary<string, object?>> States { get; } = states;

    public List<string> Errors { get; } = errors;

    public bool HasErrors => Errors.Count > 0;

    public static StateRunResult FromErrors(List<string> errors) => new(new(StringComparer.Ordinal), errors);

    /// <summary>Results in run order (<c>__run_num__</c>).</summary>
    public IEnumerable<KeyValuePair<string, Dictionary<string, object?>>> Ordered =>
        States.OrderBy(kv => kv.Value.GetValueOrDefault("__run_num__") is long n ? n : long.MaxValue);

    /// <summary>Salt's retcode: 1 for compile errors, 2 when any state failed, else 0.</summary>
    public int Retcode => HasErrors ? 1 : States.Values.Any(r => r.GetValueOrDefault("result") is false) ? 2 : 0;

    /// <summary>The job return: the results dictionary, or the list of errors.</summary>
    public object ToReturn()
    {
        if (HasErrors)
        {
            return Errors.Cast<object?>().ToList();
        }
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (tag, value) in Ordered)
        {
            ret[tag] = value;
        }
        return ret;
    }
}
