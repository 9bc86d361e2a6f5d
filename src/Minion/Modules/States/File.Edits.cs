using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

// Edits of a file in place (file.append, file.replace, file.line) and file.copy.
public sealed partial class FileState
{
    // Salt's file.append: a missing file is touched first (in a test run that touch's own report is the answer), each
    // text chunk is skipped when it is already in the file as a regex search (with ignore_whitespace, the default: the
    // chunk's words on whole lines, any whitespace around and between them), and the diff is difflib's joined by "\n".
    private static StateReturn Append(StateCall c)
    {
        var ret = new StateReturn { Name = c.Name, Result = false, Comment = string.Empty };
        if (c.GetBool("makedirs"))
        {
            var dirname = Path.GetDirectoryName(c.Name) ?? string.Empty;
            if (c.Test)
            {
                ret.Comment = $"Directory {dirname} is set to be updated";
                ret.Result = null;
            }
            else if (Path.IsPathRooted(c.Name))
            {
                System.IO.Directory.CreateDirectory(dirname);
            }
        }
        if (!Path.IsPathRooted(c.Name) || !(System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name)))
        {
            var touched = Touch(c);
            if (c.Test)
            {
                return touched;
            }
            if (!Path.IsPathRooted(c.Name) || !System.IO.File.Exists(c.Name))
            {
                return StateReturn.Fail(c.Name, NotAbsolute(c) ?? $"{c.Name}: file not found");
            }
        }
        var texts = c["text"] switch
        {
            null => new List<string> { "None" },
            string one => [one],
            List<object?> many => many.Select(PyText.Str).ToList(),
            var other => [PyText.Str(other)],
        };
        var current = System.IO.File.ReadAllText(c.Name);
        var before = PyText.SplitLines(current);
        var toAppend = new List<string>();
        var ignoreWhitespace = c.GetBool("ignore_whitespace", true);
        try
        {
            foreach (var chunk in texts)
            {
                var pattern = ignoreWhitespace ? WhitespaceSplitRegex(chunk) : chunk;
                if (new Regex(pattern, RegexOptions.Multiline).IsMatch(current))
                {
                    continue;
                }
                toAppend.AddRange(PyText.SplitLines(chunk));
            }
        }
        catch (RegexParseException e)
        {
            return StateReturn.Fail(c.Name, SaltExceptionText.Comment(e.Message, "re.error"));
        }
        catch (ArgumentException e)
        {
            return StateReturn.Fail(c.Name, SaltExceptionText.Comment(e.Message, "ValueError"));
        }
        var after = before.Concat(toAppend).ToList();
        if (c.Test)
        {
            ret.Comment = $"File {c.Name} is set to be updated";
            ret.Result = null;
            if (toAppend.Count > 0)
            {
                ret.Changes["diff"] = current.Contains('\0') ? "Replace binary file" : UnifiedDiff.JoinLines(before, after);
            }
            else
            {
                ret.Comment = $"File {c.Name} is in correct state";
                ret.Result = true;
            }
            return ret;
        }
        if (toAppend.Count > 0)
        {
            var updated = current + (current.Length > 0 && !current.EndsWith('\n') ? "\n" : string.Empty) + string.Concat(toAppend.Select(l => l + "\n"));
            System.IO.File.WriteAllText(c.Name, updated);
            ret.Comment = $"Appended {toAppend.Count} lines";
            var written = PyText.SplitLines(updated);
            if (!written.SequenceEqual(before))
            {
                ret.Changes["diff"] = updated.Contains('\0') ? "Replace binary file" : UnifiedDiff.JoinLines(before, written);
            }
        }
        else
        {
            ret.Comment = $"File {c.Name} is in correct state";
        }
        ret.Result = true;
        return ret;
    }

    // salt.utils.stringutils.build_whitespace_split_regex: each line's shlex words (non-POSIX, whitespace_split),
    // escaped and joined by optional whitespace, anchored to whole lines.
    private static string WhitespaceSplitRegex(string text)
    {
        var regex = new System.Text.StringBuilder();
        foreach (var line in PyText.SplitLines(text))
        {
            var parts = ShlexWords(line).Select(Regex.Escape);
            regex.Append(@"(?:[\s]+)?").Append(string.Join(@"(?:[\s]+)?", parts)).Append(@"(?:[\s]+)?");
        }
        return "^" + regex + "$";
    }

    // shlex.shlex(line) with whitespace_split and no commenters: a quoted word starts only at a word boundary and keeps
    // its quotes; which quote characters count depends on the quotes the line holds, as Salt sets them.
    private static List<string> ShlexWords(string line)
    {
        var quotes = line.Contains("'\"", StringComparison.Ordinal) ? string.Empty
            : line.Contains('\'') ? "\""
            : line.Contains('"') ? "'"
            : "'\"";
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            var ch = line[i];
            if (ch is ' ' or '\t' or '\r' or '\n')
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
                i++;
                continue;
            }
            if (word.Length == 0 && quotes.Contains(ch))
            {
                var close = line.IndexOf(ch, i + 1);
                if (close < 0)
                {
                    throw new ArgumentException("No closing quotation");
                }
                words.Add(line[i..(close + 1)]);
                i = close + 1;
                continue;
            }
            word.Append(ch);
            i++;
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    private static StateReturn Replace(StateCall c)
    {
        if (!System.IO.File.Exists(c.Name))
        {
            return c.GetBool("ignore_if_missing")
                ? StateReturn.Ok(c.Name, "No changes needed to be made")
                : StateReturn.Fail(c.Name, $"{c.Name}: file not found");
        }
        var ret = New(c);
        var current = System.IO.File.ReadAllText(c.Name);
        var regex = new Regex(c.GetString("pattern")!, RegexOptions.Multiline);
        var repl = c.GetString("repl")!;
        var count = (int)(c.GetInt("count") ?? 0);
        var updated = count > 0 ? regex.Replace(current, PyRepl(repl), count) : regex.Replace(current, PyRepl(repl));
        if (!regex.IsMatch(current) && c.GetBool("append_if_not_found"))
        {
            updated = current + (current.EndsWith('\n') || current.Length == 0 ? string.Empty : "\n") + (c.GetString("not_found_content") ?? repl) + "\n";
        }
        return WriteEdit(c, ret, current, updated, testComment: "Changes would have been made");
    }

    private static string PyRepl(string repl) => Regex.Replace(repl.Replace("$", "$$", StringComparison.Ordinal), @"\\(\d)", "$${$1}");

    private static StateReturn Line(StateCall c)
    {
        // Salt's file.line first calls managed(create=create, replace=False), which creates nothing in a test run: a
        // missing file is then "file not found" even with create.
        if (!System.IO.File.Exists(c.Name))
        {
            if (!c.GetBool("create") || c.Test || !System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)))
            {
                return StateReturn.Fail(c.Name, $"{c.Name}: file not found");
            }
            System.IO.File.WriteAllText(c.Name, string.Empty);
        }
        if (c.GetString("mode") is not { } lineMode)
        {
            return StateReturn.Fail(c.Name, "Mode was not defined. How to process the file?");
        }
        if (lineMode.ToLowerInvariant() != "delete" && c["content"] is null)
        {
            return StateReturn.Fail(c.Name, "Content can only be empty if mode is ['delete']");
        }
        var ret = New(c);
        var current = System.IO.File.Exists(c.Name) ? System.IO.File.ReadAllText(c.Name) : string.Empty;
        var lines = current.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        var content = c.GetString("content") ?? string.Empty;
        var match = c.GetString("match") ?? content;
        var mode = lineMode.ToLowerInvariant();
        var matcher = new Regex(match);
        switch (mode)
        {
            case "ensure":
            case "replace":
                for (var i = 0; i < lines.Count; i++)
                {
                    if (matcher.IsMatch(lines[i]))
                    {
                        lines[i] = content;
                    }
                }
                break;
            case "delete":
                lines.RemoveAll(l => matcher.IsMatch(l));
                break;
            case "insert":
                if (!lines.Contains(content))
                {
                    if (c.GetString("location") == "start" || c.GetBool("before") && false)
                    {
                        lines.Insert(0, content);
                    }
                    else if (c.GetString("after") is { } after && lines.FindIndex(l => new Regex(after).IsMatch(l)) is var ai and >= 0)
                    {
                        lines.Insert(ai + 1, content);
                    }
                    else if (c.GetString("before") is { } before && lines.FindIndex(l => new Regex(before).IsMatch(l)) is var bi and >= 0)
                    {
                        lines.Insert(bi, content);
                    }
                    else
                    {
                        lines.Add(content);
                    }
                }
                break;
            default:
                return StateReturn.Fail(c.Name, "Mode was not defined. How to process the file?");
        }
        var updated = lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";
        return WriteEdit(c, ret, current, updated, testComment: "Changes would be made");
    }

    // The end of file.replace and file.line: no-op, test-mode report (Salt words it differently for each) or write-back.
    private static StateReturn WriteEdit(StateCall c, StateReturn ret, string current, string updated, string testComment)
    {
        if (updated == current)
        {
            ret.Comment = "No changes needed to be made";
            return ret;
        }
        ret.Changes["diff"] = UnifiedDiff.Create(current, updated);
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = testComment;
            return ret;
        }
        System.IO.File.WriteAllText(c.Name, updated);
        ret.Comment = "Changes were made";
        return ret;
    }

    // Salt's file.copy: a test run reports no changes (only result None and the comment), force copies even identical
    // files, and any existing path (a directory, a dangling link) counts as the target being there.
    private static StateReturn Copy(StateCall c)
    {
        var source = c.GetString("source")!;
        var ret = New(c);
        ret.Comment = $"Copied \"{source}\" to \"{c.Name}\"";
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        if (!System.IO.File.Exists(source) && !System.IO.Directory.Exists(source))
        {
            return StateReturn.Fail(c.Name, $"Source file \"{source}\" is not present");
        }
        if (!c.GetBool("preserve") && !c.Test && CheckUser(c.GetString("user"), c.GetString("group")) is { } userError)
        {
            return StateReturn.Fail(c.Name, userError);
        }
        var name = c.Name;
        if (System.IO.Directory.Exists(name) && c.GetBool("subdir"))
        {
            name = Path.Combine(name, Path.GetFileName(source.TrimEnd('/')));
        }
        var changed = true;
        if (LExists(name))
        {
            var force = c.GetBool("force");
            if (force && System.IO.File.Exists(name) && System.IO.File.Exists(source)
                && System.IO.File.ReadAllBytes(name).AsSpan().SequenceEqual(System.IO.File.ReadAllBytes(source)))
            {
                ret.Comment += " - files are identical but force flag is set";
            }
            if (!force)
            {
                changed = false;
            }
            else if (!c.Test)
            {
                RemovePath(name);
            }
        }
        if (!changed)
        {
            ret.Comment = $"The target file \"{name}\" exists and will not be overwritten";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"File \"{source}\" is set to be copied to \"{name}\"";
            return ret;
        }
        var parent = Path.GetDirectoryName(name)!;
        if (!System.IO.Directory.Exists(parent))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"The target directory {parent} is not present");
            }
            System.IO.Directory.CreateDirectory(parent);
        }
        try
        {
            if (System.IO.Directory.Exists(source))
            {
                CopyTree(source, name);
            }
            else
            {
                System.IO.File.Copy(source, name, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StateReturn.Fail(c.Name, $"Failed to copy \"{source}\" to \"{name}\"");
        }
        ret.Changes[name] = source;
        return ret;
    }

    // os.path.lexists: true for a dangling symlink too.
    private static bool LExists(string path) =>
        System.IO.File.Exists(path) || System.IO.Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static void RemovePath(string path)
    {
        if (System.IO.Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        else
        {
            System.IO.File.Delete(path);
        }
    }

    // shutil.copytree(symlinks=True): links are recreated, not followed.
    private static void CopyTree(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                System.IO.File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo dir)
            {
                CopyTree(dir.FullName, target);
            }
            else
            {
                System.IO.File.Copy(entry.FullName, target);
            }
        }
    }
}
