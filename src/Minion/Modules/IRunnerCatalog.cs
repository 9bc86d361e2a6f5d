namespace Orchestrator.Minion.Modules;

/// <summary>The master's runner functions and their docs (<c>sys.list_runners</c>, <c>sys.runner_doc</c>).</summary>
/// <remarks>
/// An optional capability of <see cref="IFileClient"/>, as <see cref="IFilePusher"/> is: runners live only on the master,
/// so only the client that talks to a master has them; under <c>--local</c> there is none.
/// </remarks>
public interface IRunnerCatalog
{
    /// <summary>Every runner function of the master by name, with its doc; throws <see cref="ModuleException"/> when the master cannot answer.</summary>
    Task<IReadOnlyDictionary<string, string>> RunnerDocsAsync(CancellationToken cancellationToken);
}
