using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

// file.recurse as Salt builds it: the first source directory of the list that the fileserver has, then file.directory
// for every directory holding a file and file.managed for every file, their comments gathered per path.
public sealed partial class FileState
{
    private static readonly string[] _recurseNotPassed = ["mode", "makedirs", "source", "name", "clean", "require", "dir_mode", "file_mode", "include_pat", "exclude_pat", "maxdepth", "include_empty"];

    private static async Task<StateReturn> RecurseAsync(StateCall c, CancellationToken cancellationToken)
    {
        var ret = New(c);
        if (c.Has("mode"))
        {
            return StateReturn.Fail(c.Name, "'mode' is not allowed in 'file.recurse'. Please use 'file_mode' and 'dir_mode'.");
        }
        if (!c.Test && CheckUser(c.GetString("user"), c.GetString("group")) is { } userError)
        {
            return StateReturn.Fail(c.Name, userError);
        }
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var sources = (c["source"] is List<object?> list ? list.Select(PyText.Str) : [PyText.Str(c["source"])]).Select(s => s.TrimEnd('/')).ToList();
        if (sources.FirstOrDefault(s => !s.StartsWith("salt://", StringComparison.Ordinal)) is { } invalid)
        {
            return StateReturn.Fail(c.Name, $"Invalid source '{invalid}' (must be a salt:// URI)");
        }
        var files = c.Context.Files is null ? [] : await c.Context.Files.ListFilesAsync(c.Saltenv, cancellationToken).ConfigureAwait(false);
        static string PathOf(string source) => source["salt://".Length..].Trim('/');
        bool Known(string path) => files.Any(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal));
        var chosen = sources.FirstOrDefault(s => Known(PathOf(s)));
        if (chosen is null)
        {
            return StateReturn.Fail(c.Name, "Recurse failed: none of the specified sources were found");
        }
        var srcPath = PathOf(chosen);
        if (!files.Any(f => f.StartsWith(srcPath + "/", StringComparison.Ordinal)))
        {
            return StateReturn.Fail(c.Name, $"The directory '{srcPath}' does not exist on the salt fileserver in saltenv '{c.Saltenv}'");
        }
        if (!System.IO.Directory.Exists(c.Name))
        {
            if (System.IO.File.Exists(c.Name))
            {
                return StateReturn.Fail(c.Name, $"The path {c.Name} exists and is not a directory");
            }
            if (!c.Test)
            {
                System.IO.Directory.CreateDirectory(c.Name);
            }
        }
        var (managed, dirs) = RecursePlan(c, files, srcPath);
        var comments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Merge(string path, StateReturn sub)
        {
            if (sub.Result is false || ret.Result is true)
            {
                ret.Result = sub.Result;
            }
            if (sub.Result is not true && PyText.Str(sub.Comment) is { Length: > 0 } text)
            {
                (comments.TryGetValue(path, out var l) ? l : comments[path] = []).Add(text);
            }
            if (sub.Changes.Count > 0)
            {
                ret.Changes[path] = sub.Changes;
            }
        }
        foreach (var dir in dirs)
        {
            var args = RecurseArgs(c, dir);
            args["dir_mode"] = c["dir_mode"];
            Merge(dir, Directory(SubCall(c, "directory", dir, args)));
        }
        foreach (var (dest, source) in managed)
        {
            var args = RecurseArgs(c, dest);
            args["source"] = source;
            args["mode"] = c["file_mode"];
            Merge(dest, await ManagedAsync(SubCall(c, "managed", dest, args), cancellationToken).ConfigureAwait(false));
        }
        var comment = string.Join("\n", comments.Select(kv => $"\n#### {kv.Key} ####\n{string.Join("\n", kv.Value)}")).Trim();
        ret.Comment = comment.Length > 0 ? comment : $"Recursively updated {c.Name}";
        if (ret.Changes.Count == 0 && ret.Result is true)
        {
            ret.Comment = $"The directory {c.Name} is in the correct state";
        }
        return ret;
    }

    // Salt's _gen_recurse_managed_files: every file under the source (include_pat, exclude_pat, maxdepth) and the
    // directories that hold them.
    private static (List<(string Dest, string Source)> Files, List<string> Dirs) RecursePlan(StateCall c, IReadOnlyList<string> files, string srcPath)
    {
        var managed = new List<(string Dest, string Source)>();
        var dirs = new List<string>();
        foreach (var file in files.Where(f => f.StartsWith(srcPath + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var relative = file[(srcPath.Length + 1)..];
            if (!IncludedInRecurse(c, relative))
            {
                continue;
            }
            var dest = Path.Combine(c.Name, relative);
            var dir = Path.GetDirectoryName(dest)!;
            if (!dirs.Contains(dir))
            {
                dirs.Add(dir);
            }
            managed.Add((dest, "salt://" + file));
        }
        return (managed, dirs);
    }

    private static bool IncludedInRecurse(StateCall c, string relative)
    {
        if (c.GetInt("maxdepth") is { } depth && relative.Count(ch => ch == '/') >= depth)
        {
            return false;
        }
        static bool Matches(string pattern, string path) => pattern.StartsWith("E@", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.IsMatch(path, pattern[2..])
            : Orchestrator.Shared.Targeting.FnMatch.IsMatch(path, pattern);
        if (c.GetString("include_pat") is { } include && !Matches(include, relative))
        {
            return false;
        }
        return c.GetString("exclude_pat") is not { } exclude || !Matches(exclude, relative);
    }

    private static Dictionary<string, object?> RecurseArgs(StateCall c, string name)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in c.Args)
        {
            if (!_recurseNotPassed.Contains(k))
            {
                args[k] = v;
            }
        }
        args["name"] = name;
        args["makedirs"] = true;
        return args;
    }

    private static StateCall SubCall(StateCall c, string function, string name, Dictionary<string, object?> args) => new()
    {
        Name = name,
        State = "file",
        Function = function,
        Args = args,
        Test = c.Test,
        Context = c.Context,
        Saltenv = c.Saltenv,
        Low = args,
        Running = c.Running,
        Renderer = c.Renderer,
    };
}
