using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Small helpers for execution modules that run host tools and read host files under a (test) root.</summary>
internal static class HostCommand
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> (no shell).</summary>
    public static Task<ProcessResult> RunAsync(IProcessRunner runner, string file, IReadOnlyList<string> args, CancellationToken cancellationToken,
        string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null, bool mergeStderr = false) =>
        runner.RunAsync(new ProcessRequest(file, args) { Stdin = stdin, Environment = environment, MergeStderr = mergeStderr }, cancellationToken);

    /// <summary>An absolute host path relocated under <paramref name="root"/> ("/" leaves it as it is), as Salt's <c>root</c> arguments do.</summary>
    public static string Rooted(string root, string path) =>
        root is "/" or "" ? path : Path.Combine(root, path.TrimStart('/'));

    /// <summary>True when <paramref name="tool"/> is an executable on PATH (Salt's <c>salt.utils.path.which</c>).</summary>
    public static bool Which(string tool)
    {
        if (tool.Contains('/'))
        {
            return File.Exists(tool);
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Standard output with a trailing newline removed, as Salt's <c>cmd.run</c> returns it.</summary>
    public static string Out(ProcessResult result) => result.Stdout.TrimEnd('\n');
}
