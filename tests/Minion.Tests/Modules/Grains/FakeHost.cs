using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>A fake host root for grain providers: files, executables on a private PATH, and scripted commands.</summary>
public sealed class FakeHost : IDisposable
{
    private readonly TempDir _root = Some.TempDir();

    public FakeProcessRunner Runner { get; } = new();

    public Dictionary<string, object?> Opts { get; } = new(StringComparer.Ordinal);

    public string Root => _root.Path;

    /// <summary>A context reading this root, running <see cref="Runner"/>, searching only /usr/bin and /bin of the root.</summary>
    public GrainContext Context => new() { MinionId = "acc-local", Root = _root.Path, ProcessRunner = Runner, SearchPath = "/usr/bin:/bin", Opts = Opts };

    public FakeHost Write(string path, string text)
    {
        var full = HostPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }

    public FakeHost Dir(string path)
    {
        Directory.CreateDirectory(HostPath(path));
        return this;
    }

    /// <summary>An executable file (content optional) at an absolute host path.</summary>
    public FakeHost Executable(string path, string content = "#!/bin/sh\n")
    {
        Write(path, content);
        File.SetUnixFileMode(HostPath(path), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return this;
    }

    /// <summary>A symbolic link at <paramref name="path"/> pointing to <paramref name="target"/> (relative targets as given).</summary>
    public FakeHost Link(string path, string target)
    {
        var full = HostPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target.StartsWith('/') ? HostPath(target) : target);
        return this;
    }

    public string HostPath(string path) => Path.Combine(_root.Path, path.TrimStart('/'));

    public void Dispose() => _root.Dispose();
}
