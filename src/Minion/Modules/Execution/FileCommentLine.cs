using System.Text;
using System.Text.RegularExpressions;
using static Orchestrator.Minion.Modules.FunctionParameter;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>file.comment_line</c> and its deprecated wrappers <c>file.comment</c> / <c>file.uncomment</c>: comment out or
/// uncomment the lines of a text file that a regex matches. Part of the <c>file</c> execution module's function table.
/// </summary>
internal static class FileCommentLine
{
    /// <summary>The functions this adds to <see cref="FileModule"/>.</summary>
    public static readonly ModuleFunction[] Functions =
    [
        new("comment", "Comment out specified lines in a file (deprecated in Salt for file.replace; same as file.comment_line with cmnt=True).\n\n" +
            "CLI Example: orch '*' file.comment /etc/modules pcspkr",
            [Req("path"), Req("regex"), Opt("char", "#"), Opt("backup", ".bak")],
            (c, _) => Task.FromResult<object?>(Run(c, true))),
        new("comment_line", "Comment or uncomment the lines of a text file that a regex matches (a leading ^ and trailing $ anchor it); " +
            "cmnt=False uncomments. The file is backed up with the backup extension first (False or None for none). Returns the unified " +
            "diff of the changed lines, or False when no line matched.\n\nCLI Example: orch '*' file.comment_line '/etc/modules' '^pcspkr'",
            [Req("path"), Req("regex"), Opt("char", "#"), Opt("cmnt", true), Opt("backup", ".bak")],
            (c, _) => Task.FromResult<object?>(Run(c, c.GetBool("cmnt", true)))),
        new("uncomment", "Uncomment specified commented lines in a file (deprecated in Salt for file.replace; same as file.comment_line with " +
            "cmnt=False).\n\nCLI Example: orch '*' file.uncomment /etc/hosts.deny 'ALL: PARANOID'",
            [Req("path"), Req("regex"), Opt("char", "#"), Opt("backup", ".bak")],
            (c, _) => Task.FromResult<object?>(Run(c, false))),
    ];

    private static object Run(ModuleCall call, bool comment)
    {
        var path = call.RequireString("path");
        if (path.StartsWith('~'))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }
        var backup = call["backup"] is string { Length: > 0 } suffix ? suffix : null;
        return CommentLine(path, call.RequireString("regex"), call.GetString("char") ?? "#", comment, backup);
    }

    /// <summary>Salt's <c>comment_line</c>: the diff of the matched lines (before, after) or false when none matched.</summary>
    public static object CommentLine(string path, string regex, string ch, bool comment, string? backup)
    {
        var inner = regex.TrimStart('^').TrimEnd('$');
        var end = regex.EndsWith('$') ? "$" : string.Empty;
        var pattern = comment
            ? (regex.StartsWith('^') ? "^" : string.Empty) + "(" + inner + ")" + end
            : "^" + ch + @"\s*(" + inner + ")" + end;
        var real = MountModule.RealPath(path);
        if (!File.Exists(real))
        {
            throw new ModuleException($"File not found: {real}");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(real);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Unable to open file '{real}'. Exception: {e.Message}");
        }
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw new ModuleException($"Cannot perform string replacements on a binary file: {real}");
        }
        var match = PythonRegex.Compile(pattern, RegexOptions.None);
        var lines = PyText.LinesWithEnds(Encoding.UTF8.GetString(bytes));
        var before = new StringBuilder();
        var after = new StringBuilder();
        var output = new StringBuilder();
        foreach (var line in lines)
        {
            if (match.Match(line) is not { Success: true, Index: 0 })
            {
                output.Append(line);
                continue;
            }
            var changed = comment ? ch + line : line.TrimStart(ch.ToCharArray());
            before.Append(line);
            after.Append(changed);
            output.Append(changed);
        }
        if (before.Length == 0)
        {
            return false;
        }
        try
        {
            if (backup is not null)
            {
                File.WriteAllBytes(real + backup, bytes);
            }
            // Written in place: the file keeps its inode, owner and mode, as Salt restores them after its rewrite.
            File.WriteAllText(real, output.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Unable to write file '{real}'. Exception: {e.Message}");
        }
        return States.UnifiedDiff.Create(before.ToString(), after.ToString());
    }
}
