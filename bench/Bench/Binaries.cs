using System.Diagnostics;

namespace Orchestrator.Bench;

/// <summary>
/// Finds <c>orch-master</c>, <c>orch-minion</c> and <c>orch</c>: <c>--bin</c>, else <c>artifacts/orch/</c> (what
/// <c>./build.sh publish</c> and the <c>bench</c> target produce), else publishes the three projects into the scratch dir.
/// </summary>
public static class Binaries
{
    private static readonly string[] Names = ["orch-master", "orch-minion", "orch"];

    public static async Task<string> ResolveAsync(BenchOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        if (options.BinDirectory is { } given)
        {
            return Check(given) ?? throw new InvalidOperationException($"{given} lacks one of {string.Join(", ", Names)}");
        }
        var repo = FindRepository();
        if (repo is null)
        {
            throw new InvalidOperationException("cannot find the repository (Orchestrator.sln); pass --bin DIR");
        }
        var artifacts = Path.Combine(repo, "artifacts", "orch");
        if (Check(artifacts) is { } found)
        {
            log($"binaries: {found} (published {File.GetLastWriteTime(Path.Combine(found, "orch-master.dll")):yyyy-MM-dd HH:mm}; ./build.sh publish refreshes them)");
            return found;
        }
        var output = Path.Combine(options.WorkDirectory, "bin");
        log($"binaries: none in {artifacts}; publishing src/Master, src/Minion, src/Cli (Release) into {output}...");
        foreach (var project in new[] { "src/Master/Master.csproj", "src/Minion/Minion.csproj", "src/Cli/Cli.csproj" })
        {
            var info = new ProcessStartInfo("dotnet", ["publish", Path.Combine(repo, project), "-c", "Release", "-o", output, "--nologo", "-v", "q"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run dotnet publish");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} failed:\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
            }
        }
        return Check(output) ?? throw new InvalidOperationException($"publishing did not produce the binaries in {output}");
    }

    private static string? Check(string directory) =>
        Names.All(name => File.Exists(Path.Combine(directory, name))) ? directory : null;

    public static string? FindRepository()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }
}
