namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// <c>sys.list_runners</c> and <c>sys.runner_doc</c>: runners live only on the master, so the minion asks it for their
/// names and docs over its session and selects among them as <c>sys.list_functions</c> and <c>sys.doc</c> do.
/// </summary>
public sealed partial class SysModule
{
    private static ModuleFunction[] RunnerFunctions() =>
    [
        new("list_runners", "List the runner modules of the master (sorted), those with a function the globs match or those " +
            "named when given. Runners live on the master: this needs one (not orch call --local).\n\n" +
            "CLI Example: orch '*' sys.list_runners\norch '*' sys.list_runners 'm*' jobs", [], ListRunnersAsync,
            AcceptsExtraArgs: true),
        new("runner_doc", "Return the docs of the master's runner functions as {fun: doc}: all, a runner module, single " +
            "functions, or globs. Runners live on the master: this needs one (not orch call --local).\n\n" +
            "CLI Example: orch '*' sys.runner_doc\norch '*' sys.runner_doc jobs\norch '*' sys.runner_doc jobs.lookup_jid 'manage.*'",
            [], RunnerDocAsync, AcceptsExtraArgs: true, Outputter: "doc"),
    ];

    private static async Task<object?> ListRunnersAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var docs = await RunnerDocsAsync(call, cancellationToken).ConfigureAwait(false);
        return ListRunners(docs.Keys, Patterns(call)).Select(m => (object?)m).ToList();
    }

    private static async Task<object?> RunnerDocAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var docs = await RunnerDocsAsync(call, cancellationToken).ConfigureAwait(false);
        return RunnerDoc(docs, Patterns(call));
    }

    /// <summary>The runner modules that have a function the patterns select (all with no pattern), sorted and distinct.</summary>
    internal static List<string> ListRunners(IEnumerable<string> functions, List<string> patterns) =>
        Chosen(functions.Where(f => f.Contains('.')), patterns)
            .Select(f => f[..f.IndexOf('.')])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The docs of the runner functions the patterns select (all with no pattern), by name.</summary>
    internal static Dictionary<string, object?> RunnerDoc(IReadOnlyDictionary<string, string> docs, List<string> patterns) =>
        Chosen(docs.Keys.Where(f => f.Contains('.')).Order(StringComparer.Ordinal), patterns)
            .ToDictionary(f => f, f => (object?)docs[f], StringComparer.Ordinal);

    private static Task<IReadOnlyDictionary<string, string>> RunnerDocsAsync(ModuleCall call, CancellationToken cancellationToken) =>
        call.Context.Files is IRunnerCatalog runners
            ? runners.RunnerDocsAsync(cancellationToken)
            : throw new ModuleException($"{call.Function}: runners live on the master, and there is no master here (orch call " +
                "--local); list and run them on the master with orch run (e.g. orch run jobs.list_jobs)");
}
