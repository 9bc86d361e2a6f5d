using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file.comment</c> and <c>file.uncomment</c> states, part of <see cref="FileState"/>'s function table.</summary>
internal static partial class FileComment
{
    /// <summary>The functions this adds to <see cref="FileState"/>.</summary>
    public static readonly StateFunction[] Functions =
    [
        new("comment", [FunctionParameter.Req("name"), FunctionParameter.Req("regex")], CommentAsync,
            "Comment out specified lines in a file.\n\n" +
            "name\n    The full path to the file to be edited\n\n" +
            "regex\n    A regular expression used to find the lines that are to be commented; this pattern will be wrapped in parenthesis " +
            "and will move any preceding/trailing ^ or $ characters outside the parenthesis (e.g., the pattern ^foo$ will be rewritten as " +
            "^(foo)$) Note that you _need_ the leading ^, otherwise each time you run highstate, another comment char will be inserted.\n\n" +
            "char\n    The character to be inserted at the beginning of a line in order to comment it out\n\n" +
            "backup\n    The file will be backed up before edit with this file extension (overwritten each time). Set to False/None to " +
            "not keep a backup.\n\n" +
            "ignore_missing\n    Ignore a failure to find the regex in the file. This is useful for scenarios where a line must only be " +
            "commented if it is found in the file.\n\n" +
            "    /etc/fstab:\n      file.comment:\n        - regex: ^bind 127.0.0.1"),
        new("uncomment", [FunctionParameter.Req("name"), FunctionParameter.Req("regex")], UncommentAsync,
            "Uncomment specified commented lines in a file\n\n" +
            "name\n    The full path to the file to be edited\n\n" +
            "regex\n    A regular expression used to find the lines that are to be uncommented. This regex should not include the comment " +
            "character. A leading ^ character will be stripped for convenience (for easily switching between comment() and uncomment()). " +
            "The regex will be searched for from the beginning of the line, ignoring leading spaces (we prepend '^[ \\t]*')\n\n" +
            "char\n    The character to remove in order to uncomment a line\n\n" +
            "backup\n    The file will be backed up before edit with this file extension (overwritten each time). Set to False/None to " +
            "not keep a backup.\n\n" +
            "    /etc/adduser.conf:\n      file.uncomment:\n        - regex: EXTRA_GROUPS"),
    ];

    private static string ExpandUser(string name) =>
        name.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + name[1..] : name;

    /// <summary>Salt's <c>_check_file</c>: an absolute path to something that exists.</summary>
    private static string? CheckFile(string name) =>
        !Path.IsPathRooted(name) ? $"Specified file {name} is not an absolute path" : !Path.Exists(name) ? $"{name}: file not found" : null;

    private static async Task<bool> SearchAsync(StateCall c, string name, string pattern, CancellationToken ct) =>
        DataTree.IsTruthy(await StateInvoke.CallAsync(c, "file.search", [name, pattern], new() { ["multiline"] = true }, ct).ConfigureAwait(false));

    private static object? Backup(StateCall c) => c.Args.TryGetValue("backup", out var backup) ? backup : ".bak";

    private static async Task<StateReturn> CommentAsync(StateCall c, CancellationToken ct)
    {
        var name = ExpandUser(c.Name);
        if (name.Length == 0)
        {
            return StateReturn.Fail(name, "Must provide name to file.comment");
        }
        if (CheckFile(name) is { } bad)
        {
            return StateReturn.Fail(name, bad);
        }
        var regex = c.GetString("regex") ?? string.Empty;
        var ch = c.GetString("char") ?? "#";
        var unanchored = Unanchor().Replace(regex, "$2", 1);
        var uncommentedPattern = @"^(?!\s*" + ch + ").*" + unanchored;
        var commentedPattern = ch + unanchored;
        if (!await SearchAsync(c, name, uncommentedPattern, ct).ConfigureAwait(false))
        {
            if (await SearchAsync(c, name, commentedPattern, ct).ConfigureAwait(false))
            {
                return StateReturn.Ok(name, "Pattern already commented");
            }
            return c.GetBool("ignore_missing")
                ? StateReturn.Ok(name, "Pattern not found and ignore_missing set to True")
                : StateReturn.Fail(name, $"{unanchored}: Pattern not found");
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"File {name} is set to be updated", new() { [name] = "updated" });
        }
        return await EditAsync(c, name, regex, ch, true, commentedPattern, "Commented lines successfully", "Expected commented lines not found", ct)
            .ConfigureAwait(false);
    }

    private static async Task<StateReturn> UncommentAsync(StateCall c, CancellationToken ct)
    {
        var name = ExpandUser(c.Name);
        if (name.Length == 0)
        {
            return StateReturn.Fail(name, "Must provide name to file.uncomment");
        }
        if (CheckFile(name) is { } bad)
        {
            return StateReturn.Fail(name, bad);
        }
        var regex = c.GetString("regex") ?? string.Empty;
        var ch = c.GetString("char") ?? "#";
        var uncommentedPattern = "^[ \t]*" + regex.TrimStart('^');
        if (!await SearchAsync(c, name, ch + "[ \t]*" + regex.TrimStart('^'), ct).ConfigureAwait(false))
        {
            return await SearchAsync(c, name, uncommentedPattern, ct).ConfigureAwait(false)
                ? StateReturn.Ok(name, "Pattern already uncommented")
                : StateReturn.Fail(name, $"{regex}: Pattern not found");
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"File {name} is set to be updated", new() { [name] = "updated" });
        }
        return await EditAsync(c, name, regex, ch, false, uncommentedPattern, "Uncommented lines successfully", "Expected uncommented lines not found", ct)
            .ConfigureAwait(false);
    }

    /// <summary>Runs <c>file.comment_line</c>, then checks the outcome with <paramref name="expected"/> and reports the whole file's diff.</summary>
    private static async Task<StateReturn> EditAsync(StateCall c, string name, string regex, string ch, bool comment, string expected, string success,
        string failure, CancellationToken ct)
    {
        string before;
        try
        {
            before = await File.ReadAllTextAsync(name, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StateReturn.Fail(name, $"Unable to read {name}: {e.Message}");
        }
        try
        {
            await StateInvoke.CallAsync(c, "file.comment_line", [name, regex, ch, comment, Backup(c)], null, ct).ConfigureAwait(false);
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, e.Message);
        }
        var after = await File.ReadAllTextAsync(name, ct).ConfigureAwait(false);
        var ret = StateReturn.Ok(name, string.Empty);
        ret.Result = await SearchAsync(c, name, expected, ct).ConfigureAwait(false);
        if (before != after)
        {
            ret.Changes["diff"] = before.Contains('\0') ? "Replace binary file" : UnifiedDiff.Create(before, after);
        }
        ret.Comment = ret.Result == true ? success : failure;
        return ret;
    }

    /// <summary>Salt drops a leading inline flag group such as (?i), a leading ^ and a trailing $.</summary>
    [GeneratedRegex(@"^(\(\?[iLmsux]\))?\^?(.*?)\$?$", RegexOptions.None)]
    private static partial Regex Unanchor();
}
