using System.Globalization;

namespace Orchestrator.Minion.StateEngine.Running;

/// <summary>
/// The book of one state run: the returns by tag (Salt's <c>running</c>), the prereq test runs (Salt's <c>self.pre</c>),
/// the run-number counter, and the parallel calls still going.
/// </summary>
internal sealed class RunLedger
{
    private readonly Dictionary<string, Task<Dictionary<string, object?>>> _parallel = new(StringComparer.Ordinal);
    private long _runNum;

    public Dictionary<string, Dictionary<string, object?>> Running { get; } = new(StringComparer.Ordinal);

    /// <summary>Returns of prereq test runs (and of states whose requisites failed), by tag.</summary>
    public Dictionary<string, Dictionary<string, object?>> PrereqTests { get; } = new(StringComparer.Ordinal);

    public long TakeRunNumber() => _runNum++;

    /// <summary>The return of a state the engine decided not to call (failed or unmet requisites, onfail, onchanges).</summary>
    /// <remarks>
    /// <paramref name="numbered"/> false keeps the run number for the next state, as Salt's depth-limit return does.
    /// </remarks>
    public Dictionary<string, object?> NotCalled(LowChunk low, bool? result, string comment, bool stateRan = true, bool numbered = true)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = low["name"],
            ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
            ["result"] = result,
            ["duration"] = 0.0,
            ["start_time"] = StartTime(DateTime.Now),
            ["comment"] = comment,
        };
        if (!stateRan)
        {
            ret["__state_ran__"] = false;
        }
        ret["__run_num__"] = numbered ? TakeRunNumber() : _runNum;
        ret["__sls__"] = low["__sls__"];
        ret["__id__"] = low["__id__"];
        return ret;
    }

    public static string StartTime(DateTime time) => time.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>Whether any parallel call has not been reconciled yet.</summary>
    public bool HasParallel => _parallel.Count > 0;

    public void StartParallel(string tag, Task<Dictionary<string, object?>> call) => _parallel[tag] = call;

    /// <summary>Waits for the parallel calls among <paramref name="tags"/> and folds their returns into <paramref name="returns"/>.</summary>
    public async Task ReconcileAsync(Dictionary<string, Dictionary<string, object?>> returns, IEnumerable<string> tags)
    {
        if (_parallel.Count == 0)
        {
            return;
        }
        foreach (var tag in tags.ToList())
        {
            if (!_parallel.Remove(tag, out var task) || !returns.TryGetValue(tag, out var ret))
            {
                continue;
            }
            Dictionary<string, object?> done;
            try
            {
                done = await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                done = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["result"] = false,
                    ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                    ["comment"] = $"An exception occurred in this state: {e.Message}",
                };
            }
            foreach (var (k, v) in done)
            {
                ret[k] = v;
            }
        }
    }
}
