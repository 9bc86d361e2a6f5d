using System.Text;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>kernelparams</c> grain: <c>/proc/cmdline</c> as [name, value] pairs (value None without exactly one <c>=</c>), as Salt.</summary>
public sealed class KernelParamsGrains : IGrainProvider
{
    public string Name => "kernelparams";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = new Dictionary<string, object?>();
        if (context.ReadHostFile("/proc/cmdline") is { } cmdline)
        {
            grains["kernelparams"] = ShellSplit(cmdline)
                .Select(item => item.Split('='))
                .Select(data => (object?)new List<object?> { data[0], data.Length == 2 ? data[1].Trim('"') : null })
                .ToList();
        }
        return Task.FromResult(grains);
    }

    /// <summary>POSIX shell word splitting as Python's <c>shlex.split</c>: quotes group and are removed, backslash escapes.</summary>
    internal static List<string> ShellSplit(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = '\0'; } else { word.Append(c); }
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = '\0'; }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { word.Append(text[++i]); }
                else { word.Append(c); }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"') { quote = c; }
                else if (c == '\\' && i + 1 < text.Length) { word.Append(text[++i]); }
                else { word.Append(c); }
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
