using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The options of Salt's <c>file.blockreplace</c> beside the path and markers.</summary>
internal sealed record BlockReplaceOptions(
    string Content,
    bool AppendIfNotFound = false,
    bool PrependIfNotFound = false,
    string? InsertBeforeMatch = null,
    string? InsertAfterMatch = null,
    string? Backup = ".bak",
    bool DryRun = false,
    bool? AppendNewline = null);

/// <summary>
/// Salt's <c>file.blockreplace</c>: replaces the lines between a start and an end marker line (kept as they are) with the
/// content, or adds the whole block when asked to; returns the unified diff (empty when nothing changes).
/// </summary>
internal static class BlockReplace
{
    public static string Run(string path, string markerStart, string markerEnd, BlockReplaceOptions o)
    {
        var exclusive = new[] { o.AppendIfNotFound, o.PrependIfNotFound, o.InsertBeforeMatch is not null, o.InsertAfterMatch is not null }.Count(b => b);
        if (exclusive > 1)
        {
            throw new ModuleException("Only one of append_if_not_found, prepend_if_not_found, insert_before_match, and insert_after_match is permitted");
        }
        if (!File.Exists(path))
        {
            throw new ModuleException($"File not found: {path}");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Failed to read from {path}: {e.Message}");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ModuleException($"Cannot perform string replacements on a binary file: {path}");
        }
        var appendNewline = o.AppendNewline ?? !(o.Content.EndsWith('\n'));
        var split = o.Content.Split("\r\n").SelectMany(l => l.Split('\n')).ToList();
        var orig = PyText.LinesWithEnds(text);
        var result = new List<string>();
        string? linesep = null;
        var inBlock = false;
        var found = false;
        foreach (var line in orig)
        {
            linesep ??= line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : Environment.NewLine;
            var write = true;
            if (line.Contains(markerStart, StringComparison.Ordinal))
            {
                inBlock = true;
            }
            else if (inBlock)
            {
                write = false;
                var endPos = line.IndexOf(markerEnd, StringComparison.Ordinal);
                if (endPos >= 0)
                {
                    inBlock = false;
                    found = true;
                    AddContent(result, split, appendNewline, markerStart, linesep, includeStart: false, endLine: line[endPos..]);
                }
            }
            if (write)
            {
                result.Add(line);
            }
        }
        linesep ??= Environment.NewLine;
        if (inBlock)
        {
            throw new ModuleException("Unterminated marked block. End of file reached before marker_end.");
        }
        if (!found)
        {
            if (o.PrependIfNotFound)
            {
                var block = new List<string>();
                AddContent(block, split, appendNewline, markerStart, linesep, includeStart: true, endLine: markerEnd);
                result.InsertRange(0, block);
                found = true;
            }
            else if (o.AppendIfNotFound)
            {
                if (result.Count > 0 && !result[^1].EndsWith(linesep, StringComparison.Ordinal))
                {
                    result[^1] += linesep;
                }
                AddContent(result, split, appendNewline, markerStart, linesep, includeStart: true, endLine: markerEnd);
                found = true;
            }
            else if ((o.InsertBeforeMatch ?? o.InsertAfterMatch) is { } pattern)
            {
                var regex = new Regex(pattern);
                var index = orig.FindIndex(l => regex.IsMatch(l));
                if (index >= 0)
                {
                    var block = new List<string>();
                    AddContent(block, split, appendNewline, markerStart, linesep, includeStart: true, endLine: markerEnd);
                    result.InsertRange(o.InsertAfterMatch is not null ? index + 1 : index, block);
                    found = true;
                }
            }
        }
        if (!found)
        {
            throw new ModuleException("Cannot edit marked block. Markers were not found in file.");
        }
        var before = string.Concat(orig);
        var after = string.Concat(result);
        var diff = before == after ? string.Empty : Orchestrator.Minion.Modules.States.UnifiedDiff.Create(before, after);
        if (diff.Length > 0 && !o.DryRun)
        {
            if (o.Backup is { Length: > 0 } suffix)
            {
                File.Copy(path, path + suffix, overwrite: true);
            }
            var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(path);
            var temp = path + ".salt-blockreplace-" + Guid.NewGuid().ToString("N")[..8];
            File.WriteAllText(temp, after, new UTF8Encoding(false));
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, m);
            }
            File.Move(temp, path, overwrite: true);
        }
        return diff;
    }

    private static void AddContent(List<string> lines, List<string> split, bool appendNewline, string markerStart, string linesep, bool includeStart, string endLine)
    {
        endLine = endLine.TrimEnd('\r', '\n') + linesep;
        if (includeStart)
        {
            lines.Add(markerStart + linesep);
        }
        for (var i = 0; i < split.Count; i++)
        {
            if (i < split.Count - 1)
            {
                lines.Add(split[i] + linesep);
            }
            else if (appendNewline)
            {
                lines.Add(split[i] + linesep);
                lines.Add(endLine);
            }
            else
            {
                lines.Add(split[i] + endLine);
            }
        }
        if (split.Count == 0)
        {
            lines.Add(endLine);
        }
    }

}
