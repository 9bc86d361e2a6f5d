using System.Text;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file.keyvalue</c>: set <c>key=value</c> lines of a file, line by line as Salt does.</summary>
public sealed partial class FileState
{
    private static StateReturn Keyvalue(StateCall c)
    {
        var name = ExpandUser(c.Name);
        var ret = new StateReturn { Name = name, Result = null, Comment = string.Empty };
        if (string.IsNullOrEmpty(name))
        {
            return StateReturn.Fail(name, "Must provide name to file.keyvalue");
        }
        Dictionary<string, object?> keyValues;
        if (c["key"] is not null && c["value"] is not null)
        {
            if (c["key_values"] is Dictionary<string, object?>)
            {
                return StateReturn.Fail(name, "file.keyvalue can not combine key_values with key and value");
            }
            keyValues = new Dictionary<string, object?>(StringComparer.Ordinal) { [PyText.Str(c["key"])] = c["value"] };
        }
        else if (c["key_values"] is Dictionary<string, object?> { Count: > 0 } given)
        {
            keyValues = given;
        }
        else
        {
            var why = c["key_values"] is null or Dictionary<string, object?> { Count: 0 } or "" or List<object?> { Count: 0 } ? "is empty" : "is not a dictionary";
            return StateReturn.Fail(name, "file.keyvalue key and value not supplied and key_values " + why);
        }
        List<string> lines;
        try
        {
            lines = PyText.LinesWithEnds(System.IO.File.ReadAllText(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ret.Comment = $"unable to open {name}";
            ret.Result = c.GetBool("ignore_if_missing");
            return ret;
        }
        var separator = c.GetString("separator") ?? "=";
        var uncomment = c.GetString("uncomment");
        var keyIgnoreCase = c.GetBool("key_ignore_case");
        var valueIgnoreCase = c.GetBool("value_ignore_case");
        var count = c.GetInt("count") ?? 1;
        var diff = new List<string>();
        var content = new List<string>();
        var changes = 0;
        var diffCount = keyValues.Keys.ToDictionary(k => k, _ => count, StringComparer.Ordinal);
        string Line(string key, string sep, object? value) => $"{key}{sep}{PyText.Str(value)}\n";
        foreach (var original in lines)
        {
            var line = original;
            // Python's str.lstrip(None) strips whitespace; with uncomment, those characters.
            var testLine = uncomment is null ? line.TrimStart() : line.TrimStart(uncomment.ToCharArray());
            var didUncomment = line.Length > testLine.Length;
            if (keyIgnoreCase)
            {
                testLine = testLine.ToLowerInvariant();
            }
            foreach (var (key, value) in keyValues)
            {
                var testKey = keyIgnoreCase ? key.ToLowerInvariant() : key;
                if (!testLine.StartsWith(testKey, StringComparison.Ordinal))
                {
                    continue;
                }
                var working = didUncomment ? (uncomment is null ? line.TrimStart() : line.TrimStart(uncomment.ToCharArray())) : line;
                var at = working.IndexOf(separator, StringComparison.Ordinal);
                if (at < 0 || separator.Length == 0)
                {
                    continue;
                }
                var lineKey = working[..at];
                var lineValue = working[(at + separator.Length)..];
                if (!(keyIgnoreCase ? lineKey.ToLowerInvariant() == testKey : lineKey == testKey))
                {
                    continue;
                }
                var current = lineValue.Trim();
                var wanted = PyText.Str(value).Trim();
                if (valueIgnoreCase)
                {
                    current = current.ToLowerInvariant();
                    wanted = wanted.ToLowerInvariant();
                }
                var valuesMatch = current == wanted;
                var needsChanging = false;
                if (didUncomment)
                {
                    if (diffCount[key] > 0)
                    {
                        needsChanging = true;
                    }
                    else if (!valuesMatch)
                    {
                        valuesMatch = true;
                    }
                }
                else if (diffCount[key] == 0)
                {
                    needsChanging = true;
                }
                if (!valuesMatch || needsChanging)
                {
                    diff.Add("- " + line);
                    line = string.Empty;
                    if (diffCount[key] != 0)
                    {
                        line = Line(lineKey, separator, value);
                        diff.Add(value is string ? "+ " + line : $"+ {line.TrimEnd()} (from {PyText.TypeName(value)} type)\n");
                    }
                    changes++;
                }
                if (diffCount[key] > 0)
                {
                    diffCount[key]--;
                }
            }
            content.Add(line);
        }
        if (c.GetBool("append_if_not_found"))
        {
            var added = new List<string>();
            foreach (var (key, value) in keyValues)
            {
                if (diffCount[key] > 0)
                {
                    var line = Line(key, separator, value);
                    added.Add("+ " + line);
                    content.Add(line);
                    changes++;
                }
            }
            if (added.Count > 0)
            {
                diff.Add("- <EOF>\n");
                diff.AddRange(added);
                diff.Add("+ <EOF>\n");
            }
        }
        else if (c.GetBool("prepend_if_not_found"))
        {
            var didDiff = false;
            foreach (var (key, value) in keyValues)
            {
                if (diffCount[key] > 0)
                {
                    var line = Line(key, separator, value);
                    if (!didDiff)
                    {
                        diff.Insert(0, "  <SOF>\n");
                        didDiff = true;
                    }
                    diff.Insert(1, "+ " + line);
                    content.Insert(0, line);
                    changes++;
                }
            }
        }
        if (changes == 0)
        {
            ret.Result = true;
            return ret;
        }
        var showChanges = c.GetBool("show_changes", true);
        if (c.Test)
        {
            ret.Comment = $"File {name} is set to be changed ({changes} lines)";
            if (showChanges)
            {
                ret.Changes["diff"] = string.Concat(diff);
                ret.Comment += "\nPredicted diff:\n\r\t\t" + string.Join("\r\t\t", diff);
                ret.Result = null;
            }
            return ret;
        }
        ret.Comment = $"Changed {changes} lines";
        if (showChanges)
        {
            ret.Changes["diff"] = string.Concat(diff);
        }
        try
        {
            System.IO.File.WriteAllText(name, string.Concat(content), new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StateReturn.Fail(name, $"{name} not writable");
        }
        ret.Result = true;
        return ret;
    }

}
