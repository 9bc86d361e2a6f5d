using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The path functions of the <c>file</c> module: pure path arithmetic and existence tests, which templates call most.</summary>
public sealed partial class FileModule
{
    private static IEnumerable<ModuleFunction> PathFunctions() =>
    [
        new("basename", "Return the last component of a path (Python's os.path.basename: '' for a path ending in /).\n\n" +
            "CLI Example: orch '*' file.basename 'test/test.config'", [Req("path")], Basename),
        new("directory_exists", "Return True if the path is an existing directory.\n\nCLI Example: orch '*' file.directory_exists /etc",
            [Req("path")], DirectoryExists),
        new("dirname", "Return the directory part of a path (Python's os.path.dirname).\n\n" +
            "CLI Example: orch '*' file.dirname 'test/path/filename.config'", [Req("path")], Dirname),
        new("exists", "Return True if the path exists (file, directory or anything else).\n\nCLI Example: orch '*' file.exists /path/to/file",
            [Req("path")], Exists),
        new("file_exists", "Return True if the path is an existing regular file.\n\nCLI Example: orch '*' file.file_exists /etc/passwd",
            [Req("path")], FileExists),
        new("is_link", "Return True if the path is a symbolic link.\n\nCLI Example: orch '*' file.is_link /path/to/link", [Req("path")], IsLink),
        new("join", "Return a normalized file system path for the underlying OS: the parts joined with '/', an absolute part " +
            "starting the path anew (Python's os.path.join).\n\nCLI Example: orch '*' file.join '/' 'usr' 'local' 'bin'",
            [], Join, AcceptsExtraArgs: true),
    ];

    private static Task<object?> Exists(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Path.Exists(FullPath(call)));

    private static Task<object?> FileExists(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(File.Exists(FullPath(call)));

    private static Task<object?> DirectoryExists(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Directory.Exists(FullPath(call)));

    private static Task<object?> IsLink(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(new FileInfo(FullPath(call)).LinkTarget is not null);

    private static Task<object?> Basename(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(PosixPath.Basename(call.RequireString("path")));

    private static Task<object?> Dirname(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(PosixPath.Dirname(call.RequireString("path")));

    private static Task<object?> Join(ModuleCall call, CancellationToken cancellationToken)
    {
        if (call.ExtraKwargs.Count > 0)
        {
            throw new ModuleException($"file.join() got an unexpected keyword argument '{call.ExtraKwargs.Keys.First()}'");
        }
        if (call.ExtraArgs.Count == 0)
        {
            throw new ModuleException("file.join() missing required argument: 'a'");
        }
        var parts = call.ExtraArgs.Select(part => part as string
            ?? throw new ModuleException($"join() argument must be str, bytes, or os.PathLike object, not '{PyText.TypeName(part)}'")).ToList();
        return Task.FromResult<object?>(PosixPath.Join(parts[0], parts.Skip(1)));
    }
}
