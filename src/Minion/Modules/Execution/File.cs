using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>file</c> execution module: read, write, inspect and edit files on the minion.</summary>
[ExecutionModule("file")]
public sealed partial class FileModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly IAccountDatabase _accounts;

    public FileModule(IProcessRunner runner, IAccountDatabase accounts)
    {
        _runner = runner;
        _accounts = accounts;
        Functions =
        [
            .. PathFunctions(),
            new("append", "Append lines to a file (a newline is added first if the file does not end with one).\n\n" +
                "CLI Example: orch '*' file.append /etc/motd \"With all thine offerings thou shalt offer salt.\" \"Salt is what makes things taste bad when it isn't in them.\"",
                [Req("path")], Append, AcceptsExtraArgs: true),
            BlockreplaceFunction,
            new("chmod", "Set the mode of a file (octal string like 0644) and return the new mode.\n\nCLI Example: orch '*' file.chmod /etc/passwd 0644",
                [Req("path"), Opt("mode")], Chmod),
            new("chown", "Change the owner and group of a file (names or ids); returns None on success.\n\n" +
                "CLI Example: orch '*' file.chown /etc/passwd root root", [Req("path"), Req("user"), Req("group")], ChownAsync),
            new("contains", "Return True if the file contains the given text.\n\nCLI Example: orch '*' file.contains /etc/crontab 'mymaintenance.sh'",
                [Req("path"), Req("text")], Contains),
            new("copy", "Copy a file or, with recurse=True, a directory; remove_existing replaces the destination.\n\n" +
                "CLI Example: orch '*' file.copy /path/to/src /path/to/dst", [Req("src"), Req("dst"), Opt("recurse", false), Opt("remove_existing", false)],
                Copy),
            new("find", "Find files like GNU find. Options: name, iname, regex, iregex (of the path), type (any of b c d f l p s), " +
                "maxdepth, mindepth, size ([+-]N[bkmgtw]), mtime ([+-]N[smhdw]). Returns the sorted matching paths.\n\n" +
                "CLI Example: orch '*' file.find / type=f name=\\*.bak size=+10m", [Req("path")], Find, AcceptsExtraArgs: true),
            new("get_group", "Return the group owning a file.\n\nCLI Example: orch '*' file.get_group /etc/passwd",
                [Req("path"), Opt("follow_symlinks", true)], GetGroupAsync),
            new("get_hash", "Return the hex digest of a file (form: md5, sha1, sha224, sha256, sha384, sha512; default sha256).\n\n" +
                "CLI Example: orch '*' file.get_hash /etc/shadow", [Req("path"), Opt("form", "sha256"), Opt("chunk_size", 65536L)], GetHash),
            new("get_mode", "Return the mode of a file as an octal string, e.g. 0644.\n\nCLI Example: orch '*' file.get_mode /etc/passwd",
                [Req("path"), Opt("follow_symlinks", true)], GetMode),
            new("get_user", "Return the user owning a file.\n\nCLI Example: orch '*' file.get_user /etc/passwd",
                [Req("path"), Opt("follow_symlinks", true)], GetUserAsync),
            new("makedirs", "Create the parent directories of a path (a path ending in / is itself created).\n\n" +
                "CLI Example: orch '*' file.makedirs /opt/code/", [Req("path"), Opt("user"), Opt("group"), Opt("mode")], MakedirsAsync),
            new("mkdir", "Ensure a directory exists (parents included), optionally setting owner and mode; returns True.\n\n" +
                "CLI Example: orch '*' file.mkdir /opt/jetty/context", [Req("dir_path"), Opt("user"), Opt("group"), Opt("mode")], MkdirAsync),
            new("prepend", "Insert lines at the start of a file.\n\nCLI Example: orch '*' file.prepend /etc/motd \"first line\"",
                [Req("path")], Prepend, AcceptsExtraArgs: true),
            new("read", "Return the contents of a file (base64 with binary=True).\n\nCLI Example: orch '*' file.read /path/to/file",
                [Req("path"), Opt("binary", false)], Read),
            new("readlink", "Return the target of a symbolic link (fully resolved with canonicalize=True).\n\n" +
                "CLI Example: orch '*' file.readlink /path/to/link", [Req("path"), Opt("canonicalize", false)], Readlink),
            new("remove", "Remove a file, link or directory tree (absolute paths only); returns True if something was removed.\n\n" +
                "CLI Example: orch '*' file.remove /tmp/foo", [Req("path")], Remove),
            new("rename", "Rename (move) a file or directory; returns True.\n\nCLI Example: orch '*' file.rename /path/to/src /path/to/dst",
                [Req("src"), Req("dst")], Rename),
            new("replace", "Replace occurrences of a Python-style regex in a file (repl may use \\1). Returns a unified diff " +
                "(show_changes=True) or whether the file changed; search_only returns whether the pattern matches.\n\n" +
                "CLI Example: orch '*' file.replace /etc/httpd/httpd.conf pattern='LogLevel warn' repl='LogLevel info'",
                [Req("path"), Req("pattern"), Req("repl"), Opt("count", 0L), Opt("flags", 8L), Opt("bufsize", 1L), Opt("append_if_not_found", false),
                 Opt("prepend_if_not_found", false), Opt("not_found_content"), Opt("backup", ".bak"), Opt("dry_run", false), Opt("search_only", false),
                 Opt("show_changes", true), Opt("ignore_if_missing", false), Opt("preserve_inode", true), Opt("backslash_literal", false)], Replace),
            new("search", "Return True if a Python-style regex matches the file's contents.\n\nCLI Example: orch '*' file.search /etc/crontab 'mymaintenance.sh'",
                [Req("path"), Req("pattern"), Opt("flags", 8L), Opt("bufsize", 1L), Opt("ignore_if_missing", false), Opt("multiline", false)], Search),
            new("stats", "Return a dict of file attributes: inode, uid, gid, user, group, atime, mtime, ctime, size, mode, type, target " +
                "(and sum with hash_type).\n\nCLI Example: orch '*' file.stats /etc/passwd",
                [Req("path"), Opt("hash_type"), Opt("follow_symlinks", true)], StatsAsync),
            new("symlink", "Create a symbolic link path -> src; force replaces an existing file or link.\n\n" +
                "CLI Example: orch '*' file.symlink /path/to/file /path/to/link", [Req("src"), Req("path"), Opt("force", false)], Symlink),
            new("touch", "Create a file or update its access and modification times (atime/mtime as epoch seconds).\n\n" +
                "CLI Example: orch '*' file.touch /var/log/emptyfile", [Req("name"), Opt("atime"), Opt("mtime")], Touch),
            new("write", "Write lines to a file, replacing its contents.\n\nCLI Example: orch '*' file.write /etc/motd \"With all thine offerings thou shalt offer salt.\"",
                [Req("path")], Write, AcceptsExtraArgs: true),
            .. FileCommentLine.Functions,
        ];
    }

    public string Doc => "Manage information about regular files, directories and special files on the minion.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static string FullPath(ModuleCall call, string name = "path")
    {
        var path = call.RequireString(name);
        if (path.StartsWith('~'))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }
        return path;
    }

    private static string RequireAbsolute(ModuleCall call, string name = "path")
    {
        var path = FullPath(call, name);
        if (!Path.IsPathRooted(path))
        {
            throw new ModuleException($"File path must be absolute: {path}");
        }
        return path;
    }

    private static bool AnyExists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static IEnumerable<string> Lines(ModuleCall call) =>
        call.ExtraArgs.Select(a => a switch
        {
            string s => s,
            null => "None",
            _ => Orchestrator.Shared.Data.DataTree.ToJson(a, indent: false),
        });

    private static Task<object?> Read(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!File.Exists(path))
        {
            throw new ModuleException($"{path}: file not found");
        }
        return Task.FromResult<object?>(call.GetBool("binary") ? Convert.ToBase64String(File.ReadAllBytes(path)) : File.ReadAllText(path));
    }

    private static Task<object?> Write(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        var lines = Lines(call).ToList();
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return Task.FromResult<object?>($"Wrote {lines.Count} lines to \"{path}\"");
    }

    private static Task<object?> Append(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        var lines = Lines(call).ToList();
        var prefix = File.Exists(path) && new FileInfo(path).Length > 0 && !File.ReadAllText(path).EndsWith('\n') ? "\n" : "";
        File.AppendAllText(path, prefix + string.Concat(lines.Select(l => l + "\n")));
        return Task.FromResult<object?>($"Wrote {lines.Count} lines to \"{path}\"");
    }

    private static Task<object?> Prepend(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        var lines = Lines(call).ToList();
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")) + existing);
        return Task.FromResult<object?>($"Prepended {lines.Count} lines to \"{path}\"");
    }

    private static Task<object?> Remove(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = RequireAbsolute(call);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            info.Delete();
            return Task.FromResult<object?>(true);
        }
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
            return Task.FromResult<object?>(true);
        }
        return Task.FromResult<object?>(false);
    }

    private static Task<object?> Rename(ModuleCall call, CancellationToken cancellationToken)
    {
        var src = RequireAbsolute(call, "src");
        var dst = RequireAbsolute(call, "dst");
        if (Directory.Exists(src))
        {
            Directory.Move(src, dst);
        }
        else if (AnyExists(src))
        {
            File.Move(src, dst, overwrite: true);
        }
        else
        {
            throw new ModuleException($"Could not rename '{src}': no such file or directory");
        }
        return Task.FromResult<object?>(true);
    }

    private async Task<object?> MkdirAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = RequireAbsolute(call, "dir_path");
        Directory.CreateDirectory(path);
        await ApplyOwnershipAsync(call, path, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<object?> MakedirsAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = RequireAbsolute(call);
        var dir = path.EndsWith('/') ? path.TrimEnd('/') : Path.GetDirectoryName(path)!;
        if (Directory.Exists(dir))
        {
            return $"Directory '{dir}' already exists";
        }
        if (File.Exists(dir))
        {
            throw new ModuleException($"The path '{dir}' already exists and is not a directory");
        }
        Directory.CreateDirectory(dir);
        await ApplyOwnershipAsync(call, dir, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ApplyOwnershipAsync(ModuleCall call, string path, CancellationToken cancellationToken)
    {
        if (call.GetString("mode") is { } mode)
        {
            UnixFs.SetMode(path, ParseMode(mode));
        }
        var user = call.GetString("user");
        var group = call.GetString("group");
        if (user is not null || group is not null)
        {
            await ChownCoreAsync(path, user, group, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<object?> Chmod(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!AnyExists(path))
        {
            throw new ModuleException($"{path}: File not found");
        }
        if (call.GetString("mode") is { } mode)
        {
            UnixFs.SetMode(path, ParseMode(mode));
        }
        return Task.FromResult<object?>(FormatMode(UnixFs.GetMode(path)));
    }

    private static Task<object?> GetMode(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!AnyExists(path))
        {
            return Task.FromResult<object?>(string.Empty);
        }
        return Task.FromResult<object?>(FormatMode(UnixFs.GetMode(path)));
    }

    private async Task<object?> ChownAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!AnyExists(path))
        {
            throw new ModuleException($"{path}: File not found");
        }
        await ChownCoreAsync(path, call.GetString("user"), call.GetString("group"), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task ChownCoreAsync(string path, string? user, string? group, CancellationToken cancellationToken)
    {
        var errors = new StringBuilder();
        if (!string.IsNullOrEmpty(user) && !long.TryParse(user, out _) && _accounts.Users().All(u => u.Name != user))
        {
            errors.Append("User does not exist\n");
        }
        if (!string.IsNullOrEmpty(group) && !long.TryParse(group, out _) && _accounts.Groups().All(g => g.Name != group))
        {
            errors.Append("Group does not exist\n");
        }
        if (errors.Length > 0)
        {
            throw new ModuleException(errors.ToString().TrimEnd());
        }
        var owner = $"{user}{(string.IsNullOrEmpty(group) ? "" : ":" + group)}";
        // Like os.chown the target of a link changes; a dangling link is changed itself, as Salt's lchown fallback does.
        List<string> arguments = Path.Exists(path) ? [owner, path] : ["-h", owner, path];
        var result = await _runner.RunAsync(new ProcessRequest("chown", arguments), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ModuleException(result.Stderr.Trim());
        }
    }

    private static Task<object?> Touch(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call, "name");
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            File.WriteAllBytes(path, []);
        }
        var now = DateTime.UtcNow;
        var atime = call.GetDouble("atime") is { } a ? DateTime.UnixEpoch.AddSeconds(a) : now;
        var mtime = call.GetDouble("mtime") is { } m ? DateTime.UnixEpoch.AddSeconds(m) : now;
        File.SetLastAccessTimeUtc(path, atime);
        File.SetLastWriteTimeUtc(path, mtime);
        return Task.FromResult<object?>(true);
    }

    private static Task<object?> Copy(ModuleCall call, CancellationToken cancellationToken)
    {
        var src = RequireAbsolute(call, "src");
        var dst = RequireAbsolute(call, "dst");
        var recurse = call.GetBool("recurse");
        var removeExisting = call.GetBool("remove_existing");
        if (Directory.Exists(src))
        {
            if (!recurse)
            {
                throw new ModuleException("Cannot copy overwriting a directory without recurse flag set to true!");
            }
            if (removeExisting && Directory.Exists(dst))
            {
                Directory.Delete(dst, recursive: true);
            }
            CopyTree(src, dst);
        }
        else if (File.Exists(src))
        {
            var target = Directory.Exists(dst) ? Path.Combine(dst, Path.GetFileName(src)) : dst;
            File.Copy(src, target, overwrite: true);
        }
        else
        {
            throw new ModuleException($"No such file or directory '{src}'");
        }
        return Task.FromResult<object?>(true);
    }

    private static void CopyTree(string src, string dst)
    {
        Directory.CreateDirectory(dst);
        foreach (var file in Directory.EnumerateFiles(src))
        {
            File.Copy(file, Path.Combine(dst, Path.GetFileName(file)), overwrite: true);
        }
        foreach (var dir in Directory.EnumerateDirectories(src))
        {
            CopyTree(dir, Path.Combine(dst, Path.GetFileName(dir)));
        }
    }

    private static Task<object?> GetHash(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!File.Exists(path))
        {
            throw new ModuleException($"{path}: file not found");
        }
        return Task.FromResult<object?>(Hash(path, call.GetString("form") ?? "sha256"));
    }

    internal static string Hash(string path, string form)
    {
        using var stream = File.OpenRead(path);
        var digest = form.ToLowerInvariant() switch
        {
#pragma warning disable CA5350, CA5351 // Salt offers these forms for checksums, not security.
            "md5" => MD5.HashData(stream),
            "sha1" => SHA1.HashData(stream),
#pragma warning restore CA5350, CA5351
            "sha256" => SHA256.HashData(stream),
            "sha384" => SHA384.HashData(stream),
            "sha512" => SHA512.HashData(stream),
            _ => throw new ModuleException($"Invalid hash type '{form}'"),
        };
        return Convert.ToHexStringLower(digest);
    }

    private static Task<object?> Symlink(ModuleCall call, CancellationToken cancellationToken)
    {
        var src = call.RequireString("src");
        var path = RequireAbsolute(call);
        var existing = new FileInfo(path);
        if (existing.LinkTarget == src)
        {
            return Task.FromResult<object?>(true);
        }
        if (AnyExists(path))
        {
            if (!call.GetBool("force"))
            {
                throw new ModuleException($"File exists: {path}");
            }
            if (Directory.Exists(path) && existing.LinkTarget is null)
            {
                throw new ModuleException($"Existing path is a directory: {path}");
            }
            existing.Delete();
        }
        File.CreateSymbolicLink(path, src);
        return Task.FromResult<object?>(true);
    }

    private static Task<object?> Readlink(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = RequireAbsolute(call);
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            throw new ModuleException("A valid link was not specified.");
        }
        if (call.GetBool("canonicalize"))
        {
            return Task.FromResult<object?>(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName);
        }
        return Task.FromResult<object?>(info.LinkTarget);
    }

    private static Task<object?> Contains(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        return Task.FromResult<object?>(File.Exists(path) && File.ReadAllText(path).Contains(call.RequireString("text"), StringComparison.Ordinal));
    }

    private static Task<object?> Search(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!File.Exists(path))
        {
            if (call.GetBool("ignore_if_missing"))
            {
                return Task.FromResult<object?>(false);
            }
            throw new ModuleException($"{path}: file not found");
        }
        var options = PythonRegex.Options(call["flags"]);
        if (call.GetBool("multiline"))
        {
            options |= RegexOptions.Multiline;
        }
        var regex = PythonRegex.Compile(call.RequireString("pattern"), options);
        return Task.FromResult<object?>(regex.IsMatch(File.ReadAllText(path)));
    }

    private static Task<object?> Replace(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!File.Exists(path))
        {
            if (call.GetBool("ignore_if_missing"))
            {
                return Task.FromResult<object?>(false);
            }
            throw new ModuleException($"{path}: file not found");
        }
        var regex = PythonRegex.Compile(call.RequireString("pattern"), PythonRegex.Options(call["flags"]));
        var original = File.ReadAllText(path);
        var found = regex.IsMatch(original);
        if (call.GetBool("search_only"))
        {
            return Task.FromResult<object?>(found);
        }
        var repl = call.RequireString("repl");
        var count = (int)(call.GetInt("count") ?? 0);
        var updated = found
            ? regex.Replace(original, PythonRegex.Replacement(repl, call.GetBool("backslash_literal")), count <= 0 ? -1 : count)
            : original;
        if (!found && (call.GetBool("append_if_not_found") || call.GetBool("prepend_if_not_found")))
        {
            var content = call.GetString("not_found_content") ?? repl;
            if (!original.Split('\n').Contains(content))
            {
                updated = call.GetBool("prepend_if_not_found")
                    ? content + "\n" + original
                    : original + (original.Length == 0 || original.EndsWith('\n') ? "" : "\n") + content + "\n";
            }
        }
        var changed = updated != original;
        if (changed && !call.GetBool("dry_run"))
        {
            if (call["backup"] is string { Length: > 0 } suffix)
            {
                File.Copy(path, path + suffix, overwrite: true);
            }
            if (call.GetBool("preserve_inode", true))
            {
                using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write);
                stream.Write(Encoding.UTF8.GetBytes(updated));
            }
            else
            {
                var temp = path + ".orch-tmp";
                File.WriteAllText(temp, updated);
                File.Move(temp, path, overwrite: true);
            }
        }
        if (call.GetBool("show_changes", true))
        {
            return Task.FromResult<object?>(UnifiedDiff.Create(original, updated, path, path));
        }
        return Task.FromResult<object?>(changed);
    }

    private async Task<object?> StatsAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        if (!AnyExists(path))
        {
            throw new ModuleException($"Path not found: {path}");
        }
        var stat = await StatAsync(path, call.GetBool("follow_symlinks", true), cancellationToken).ConfigureAwait(false);
        var info = new FileInfo(path);
        stat["target"] = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.LinkTarget : path;
        if (call.GetString("hash_type") is { } hashType && File.Exists(path))
        {
            stat["sum"] = Hash(path, hashType);
        }
        return stat;
    }

    private async Task<object?> GetUserAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await StatAsync(FullPath(call), call.GetBool("follow_symlinks", true), cancellationToken).ConfigureAwait(false))["user"];

    private async Task<object?> GetGroupAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await StatAsync(FullPath(call), call.GetBool("follow_symlinks", true), cancellationToken).ConfigureAwait(false))["group"];

    /// <summary>stat(1) gives inode and owner, which .NET does not expose.</summary>
    private async Task<Dictionary<string, object?>> StatAsync(string path, bool follow, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-c", "%i|%u|%g|%U|%G|%X|%Y|%Z|%s|%a|%F"];
        if (follow)
        {
            arguments.Insert(0, "-L");
        }
        arguments.Add(path);
        var result = await _runner.RunAsync(new ProcessRequest("stat", arguments), cancellationToken).ConfigureAwait(false);
        var fields = result.Stdout.Trim().Split('|');
        if (result.ExitCode != 0 || fields.Length < 11)
        {
            throw new ModuleException($"Could not stat '{path}': {result.Stderr.Trim()}");
        }
        long Num(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return new Dictionary<string, object?>
        {
            ["inode"] = Num(0),
            ["uid"] = Num(1),
            ["gid"] = Num(2),
            ["user"] = fields[3],
            ["group"] = fields[4],
            ["atime"] = (double)Num(5),
            ["mtime"] = (double)Num(6),
            ["ctime"] = (double)Num(7),
            ["size"] = Num(8),
            ["mode"] = fields[9].PadLeft(4, '0'),
            ["type"] = fields[10] switch
            {
                "directory" => "dir",
                "symbolic link" => "link",
                "character special file" => "char",
                "block special file" => "block",
                "fifo" => "pipe",
                "socket" => "socket",
                _ => "file",
            },
        };
    }

    private static Task<object?> Find(ModuleCall call, CancellationToken cancellationToken)
    {
        var root = FullPath(call);
        var options = call.ExtraKwargs;
        string? Option(string key) => options.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        Regex? name = Option("name") is { } n ? Glob.ToRegex(n) : Option("iname") is { } iname ? Glob.ToRegex(iname, ignoreCase: true) : null;
        Regex? pathRegex = Option("regex") is { } r ? PythonRegex.Compile(r, RegexOptions.None)
            : Option("iregex") is { } ir ? PythonRegex.Compile(ir, RegexOptions.IgnoreCase) : null;
        var types = Option("type");
        var maxDepth = Option("maxdepth") is { } max ? int.Parse(max, CultureInfo.InvariantCulture) : int.MaxValue;
        var minDepth = Option("mindepth") is { } min ? int.Parse(min, CultureInfo.InvariantCulture) : 0;
        var size = Option("size") is { } s ? ParseComparison(s, SizeUnit) : null;
        var mtime = Option("mtime") is { } m ? ParseComparison(m, TimeUnit) : null;
        var now = DateTime.UtcNow;

        var found = new List<string>();
        if (!Path.Exists(root))
        {
            return Task.FromResult<object?>(found.Cast<object?>().ToList());
        }
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            var info = new FileInfo(current);
            var isLink = info.LinkTarget is not null;
            var isDir = !isLink && Directory.Exists(current);
            if (depth >= minDepth && Matches(current, info, isDir, isLink))
            {
                found.Add(current);
            }
            if (isDir && depth < maxDepth)
            {
                try
                {
                    foreach (var child in Directory.EnumerateFileSystemEntries(current))
                    {
                        pending.Push((child, depth + 1));
                    }
                }
                catch (UnauthorizedAccessException)
                {
                    // find(1) reports and skips unreadable directories.
                }
            }
        }
        found.Sort(StringComparer.Ordinal);
        return Task.FromResult<object?>(found.Cast<object?>().ToList());

        bool Matches(string path, FileInfo info, bool isDir, bool isLink)
        {
            if (name is not null && !name.IsMatch(Path.GetFileName(path.TrimEnd('/')) is { Length: > 0 } leaf ? leaf : path))
            {
                return false;
            }
            if (pathRegex is not null && !pathRegex.IsMatch(path))
            {
                return false;
            }
            if (types is not null)
            {
                var type = isLink ? 'l' : isDir ? 'd' : File.Exists(path) ? TypeOfSpecial(path) : '?';
                if (!types.Contains(type))
                {
                    return false;
                }
            }
            if (size is not null && (isDir || !size(info.Length)))
            {
                return false;
            }
            if (mtime is not null && !mtime((long)(now - info.LastWriteTimeUtc).TotalSeconds))
            {
                return false;
            }
            return true;
        }
    }

    private static char TypeOfSpecial(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return 'f';
        }
        var attributes = File.GetAttributes(path);
        // .NET reports devices, fifos and sockets as "Device"/"Normal" without detail; regular files are the common case.
        return (attributes & FileAttributes.Device) != 0 ? 'c' : 'f';
    }

    private static long SizeUnit(char unit) => unit switch
    {
        'b' => 512,
        'k' => 1024,
        'm' => 1024 * 1024,
        'g' => 1024L * 1024 * 1024,
        't' => 1024L * 1024 * 1024 * 1024,
        'c' => 1,
        'w' => 2,
        _ => throw new ModuleException($"Invalid size unit '{unit}'"),
    };

    private static long TimeUnit(char unit) => unit switch
    {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        'w' => 604800,
        _ => throw new ModuleException($"Invalid time unit '{unit}'"),
    };

    /// <summary>Parses find's <c>[+-]N[unit]</c>: + means more than, - less than, none exactly (in whole units).</summary>
    private static Func<long, bool> ParseComparison(string text, Func<char, long> unitSize)
    {
        var sign = text[0] is '+' or '-' ? text[0] : '=';
        var body = sign == '=' ? text : text[1..];
        var unit = body.Length > 0 && char.IsLetter(body[^1]) ? char.ToLowerInvariant(body[^1]) : (unitSize == SizeUnit ? 'b' : 'd');
        var digits = char.IsLetter(body[^1]) ? body[..^1] : body;
        if (!long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var amount))
        {
            throw new ModuleException($"Invalid find criterion '{text}'");
        }
        var scale = unitSize(unit);
        return value => sign switch
        {
            '+' => value > amount * scale,
            '-' => value < amount * scale,
            _ => (value + scale - 1) / scale == amount,
        };
    }

    internal static UnixFileMode ParseMode(string mode)
    {
        var digits = mode.Trim();
        if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }
        try
        {
            var value = Convert.ToInt32(digits, 8);
            if (value is < 0 or > 0xFFF)
            {
                throw new ModuleException($"Invalid mode '{mode}'");
            }
            return (UnixFileMode)value;
        }
        catch (FormatException e)
        {
            throw new ModuleException($"Invalid mode '{mode}'", e);
        }
    }

    internal static string FormatMode(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}
