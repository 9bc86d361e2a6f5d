namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Optional capability of an <see cref="IProcessRunner"/>: start a process and leave it running (<c>cmd.run_bg</c>).</summary>
/// <remarks>Output is discarded and standard input is empty; the returned pid is the command's own.</remarks>
public interface IBackgroundProcessRunner
{
    int StartBackground(ProcessRequest request);
}
