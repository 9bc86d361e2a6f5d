using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

// Edits of a file in place (file.append, file.replace, file.line) and file.copy.
public sealed partial class FileState
{
    private static StateReturn Append(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var ret = New(c);
        var lines = (c.GetList("text") ?? []).Select(PyText.Str).SelectMany(t => t.Split('\n')).ToList();
        if (!System.IO.File.Exists(c.Name))
        {
            if (!c.GetBool("makedirs") && !System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)!))
            {
                return StateReturn.Fail(c.Name, $"The following files will be changed:\n{c.Name}: Directory does not exist");
            }
            if (c.Test)
            {
                ret.Result = null;
                ret.Comment = $"File {c.Name} is set to be created";
                ret.Changes["new"] = c.Name;
                return ret;
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(c.Name)!);
            System.IO.File.WriteAllText(c.Name, string.Empty);
        }
        var current = System.IO.File.ReadAllText(c.Name);
        var missing = lines.Where(l => !current.Contains(l, StringComparison.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            ret.Comment = "File " + c.Name + " is in correct state";
            return ret;
        }
        var updated = current + (current.Length > 0 && !current.EndsWith('\n') ? "\n" : string.Empty) + string.Join(string.Empty, missing.Select(l => l + "\n"));
        ret.Changes["diff"] = UnifiedDiff.Create(current, updated);
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"File {c.Name} is set to be updated";
            return ret;
        }
        System.IO.File.WriteAllText(c.Name, updated);
        ret.Comment = $"Appended {missing.Count} lines";
        return ret;
    }

    private static StateReturn Replace(StateCall c)
    {
        if (!System.IO.File.Exists(c.Name))
        {
            return StateReturn.Fail(c.Name, $"{c.Name}: file not found");
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
        if (!System.IO.File.Exists(c.Name))
        {
            if (!c.GetBool("create"))
            {
                return StateReturn.Fail(c.Name, $"{c.Name}: file not found");
            }
            if (!c.Test)
            {
                System.IO.File.WriteAllText(c.Name, string.Empty);
            }
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
        var mode = c.GetString("mode") ?? string.Empty;
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

    private static StateReturn Copy(StateCall c)
    {
        var source = c.GetString("source")!;
        var ret = New(c);
        if (!System.IO.File.Exists(source))
        {
            return StateReturn.Fail(c.Name, $"Source file \"{source}\" is not present");
        }
        var force = c.GetBool("force");
        if (System.IO.File.Exists(c.Name) && (!force || System.IO.File.ReadAllBytes(c.Name).SequenceEqual(System.IO.File.ReadAllBytes(source))))
        {
            ret.Comment = $"The target file \"{c.Name}\" exists and will not be overwritten";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"File \"{source}\" is set to be copied to \"{c.Name}\"";
            ret.Changes[c.Name] = source;
            return ret;
        }
        if (!System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)!))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"The target directory {Path.GetDirectoryName(c.Name)} is not present");
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(c.Name)!);
        }
        System.IO.File.Copy(source, c.Name, overwrite: true);
        ret.Changes[c.Name] = source;
        ret.Comment = $"Copied \"{source}\" to \"{c.Name}\"";
        return ret;
    }
}
