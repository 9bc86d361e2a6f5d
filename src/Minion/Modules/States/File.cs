using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file</c> states: managed files, directories, links, edits and copies.</summary>
/// <remarks>One file per concept: File.Managed.cs, File.Directory.cs, File.Recurse.cs, File.Paths.cs (absent, exists,
/// missing, touch, symlink), File.Edits.cs (append, replace, line, copy), File.Ownership.cs (mode and owner),
/// File.Blockreplace.cs, File.Keyvalue.cs and File.Serialize.cs (with file.accumulated), FileComment.cs (comment, uncomment).</remarks>
[StateModule("file")]
public sealed partial class FileState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Manage files, directories, symlinks and file contents.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("managed", [FunctionParameter.Req("name"), new("check_cmd")], ManagedAsync, "Makes a file have the given contents (source, contents, template), owner and mode."),
        new("directory", _name, (c, _) => Task.FromResult(Directory(c)), "Makes a directory exist with the given owner and mode."),
        new("absent", _name, (c, _) => Task.FromResult(Absent(c)), "Removes a file or directory."),
        new("exists", _name, (c, _) => Task.FromResult(Exists(c)), "Verifies a path exists (changes nothing)."),
        new("missing", _name, (c, _) => Task.FromResult(Missing(c)), "Verifies a path does not exist (changes nothing)."),
        new("touch", _name, (c, _) => Task.FromResult(Touch(c)), "Creates an empty file or updates its times."),
        new("symlink", [new("name", true), new("target", true)], (c, _) => Task.FromResult(Symlink(c)), "Makes a symlink point at a target."),
        new("append", _name, (c, _) => Task.FromResult(Append(c)), "Appends lines (text) that are not yet in the file."),
        new("replace", [new("name", true), new("pattern", true), new("repl", true)], (c, _) => Task.FromResult(Replace(c)), "Replaces regex matches in a file."),
        new("line", _name, (c, _) => Task.FromResult(Line(c)), "Ensures a line is present, absent or replaced in a file."),
        new("copy", [new("name", true), new("source", true)], (c, _) => Task.FromResult(Copy(c)), "Copies a file on the minion."),
        new("recurse", [new("name", true), new("source", true)], RecurseAsync, "Mirrors a salt:// directory into a directory."),
        .. EditFunctions,
        .. FileComment.Functions,
    ];

    private static StateReturn New(StateCall c) => new() { Name = c.Name, Result = true, Comment = string.Empty };

    private static string? NotAbsolute(StateCall c) =>
        Path.IsPathRooted(c.Name) ? null : $"Specified file {c.Name} is not an absolute path";

    private sealed class StateFileException(string message) : Exception(message);
}
