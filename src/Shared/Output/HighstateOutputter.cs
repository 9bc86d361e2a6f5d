using System.Globalization;
using System.Text;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Output;

/// <summary>
/// Formats state returns (<c>{minion: {tag: result}}</c>) the way Salt's <c>highstate</c> outputter does: one block per state
/// (ID, Function, Name, Result, Comment, Started, Duration, Changes) in run order, then a summary per minion.
/// </summary>
/// <remarks>A minion whose return is a list of strings had compile errors; they are printed as such.</remarks>
public sealed class HighstateOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) =>
        Format(data, new HighstateOutputOptions(options.StateOutput, options.StateVerbose, options.Color));

    private const string Reset = "\u001b[0;0m";
    private const string Green = "\u001b[0;32m";
    private const string Cyan = "\u001b[0;36m";
    private const string Red = "\u001b[0;31m";
    private const string Yellow = "\u001b[0;33m";
    private const string LightRed = "\u001b[1;31m";

    /// <summary>Formats every minion's return.</summary>
    public string Format(object? data, HighstateOutputOptions options)
    {
        var sb = new StringBuilder();
        if (data is not Dictionary<string, object?> minions)
        {
            return DataTree.ToJson(data) + "\n";
        }
        foreach (var (minion, ret) in minions)
        {
            FormatMinion(sb, minion, ret, options);
        }
        return sb.ToString();
    }

    private static string C(HighstateOutputOptions o, string color, string text) => o.Color ? color + text + Reset : text;

    private static void FormatMinion(StringBuilder sb, string minion, object? ret, HighstateOutputOptions o)
    {
        var states = ret as Dictionary<string, object?>;
        var allFine = states is not null && states.Values.All(v => v is Dictionary<string, object?> r && r.GetValueOrDefault("result") is not false);
        sb.Append(C(o, allFine ? Green : Red, minion + ":")).Append('\n');
        if (ret is List<object?> errors)
        {
            sb.Append(C(o, LightRed, "    Data failed to compile:")).Append('\n');
            foreach (var error in errors)
            {
                sb.Append(C(o, Red, "----------")).Append('\n').Append(C(o, Red, "    " + DataTree.KeyToString(error))).Append('\n');
            }
            return;
        }
        if (states is null)
        {
            sb.Append("    ").Append(DataTree.KeyToString(ret)).Append('\n');
            return;
        }
        var ordered = states
            .Where(kv => kv.Value is Dictionary<string, object?>)
            .Select(kv => (Tag: kv.Key, Ret: (Dictionary<string, object?>)kv.Value!))
            .OrderBy(s => s.Ret.GetValueOrDefault("__run_num__") is long n ? n : long.MaxValue)
            .ToList();
        int succeeded = 0, changed = 0, unchanged = 0, failed = 0;
        double total = 0;
        foreach (var (tag, r) in ordered)
        {
            var result = r.GetValueOrDefault("result");
            var hasChanges = DataTree.IsTruthy(r.GetValueOrDefault("changes"));
            total += r.GetValueOrDefault("duration") switch { double d => d, long l => l, _ => 0 };
            if (result is false)
            {
                failed++;
            }
            else
            {
                succeeded++;
                if (result is null)
                {
                    unchanged++;
                }
                if (hasChanges)
                {
                    changed++;
                }
            }
            if (!o.StateVerbose && result is true && !hasChanges)
            {
                continue;
            }
            var terse = o.StateOutput switch
            {
                "terse" => true,
                "mixed" => result is not false,
                "changes" => result is true && !hasChanges,
                _ => false,
            };
            var color = result switch
            {
                false => Red,
                null => Yellow,
                _ => hasChanges ? Cyan : Green,
            };
            var parts = tag.Split("_|-");
            var id = DataTree.KeyToString(r.GetValueOrDefault("__id__") ?? (parts.Length > 1 ? parts[1] : tag));
            var function = parts.Length >= 4 ? parts[0] + "." + parts[^1] : tag;
            var name = DataTree.KeyToString(r.GetValueOrDefault("name") ?? (parts.Length > 2 ? parts[2] : string.Empty));
            var duration = r.GetValueOrDefault("duration") switch { double d => d, long l => l, _ => 0.0 };
            if (terse)
            {
                var word = result switch { false => "Failed", null => "Differs", _ => hasChanges ? "Changed" : "Clean" };
                sb.Append(C(o, color, $"  Name: {name} - Function: {function} - Result: {word} - Started: {r.GetValueOrDefault("start_time")} - Duration: {Ms(duration)} ms")).Append('\n');
                continue;
            }
            sb.Append(C(o, color, "----------")).Append('\n');
            sb.Append(C(o, color, $"          ID: {id}")).Append('\n');
            sb.Append(C(o, color, $"    Function: {function}")).Append('\n');
            sb.Append(C(o, color, $"        Name: {name}")).Append('\n');
            sb.Append(C(o, color, $"      Result: {Py(result)}")).Append('\n');
            var comment = r.GetValueOrDefault("comment") switch
            {
                List<object?> lines => string.Join("\n", lines.Select(DataTree.KeyToString)),
                var c => DataTree.KeyToString(c),
            };
            var commentLines = comment.Split('\n');
            sb.Append(C(o, color, $"     Comment: {commentLines[0]}")).Append('\n');
            foreach (var line in commentLines.Skip(1))
            {
                sb.Append(C(o, color, "              " + line)).Append('\n');
            }
            sb.Append(C(o, color, $"     Started: {r.GetValueOrDefault("start_time")}")).Append('\n');
            sb.Append(C(o, color, $"    Duration: {Ms(duration)} ms")).Append('\n');
            sb.Append(C(o, color, "     Changes:   ")).Append('\n');
            if (hasChanges)
            {
                var nested = new StringBuilder();
                Nested(nested, r["changes"], 14);
                foreach (var line in nested.ToString().TrimEnd('\n').Split('\n'))
                {
                    sb.Append(C(o, Cyan, line)).Append('\n');
                }
            }
        }
        sb.Append('\n');
        sb.Append(C(o, Cyan, $"Summary for {minion}")).Append('\n');
        sb.Append(C(o, Cyan, "------------")).Append('\n');
        var detail = new List<string>();
        if (unchanged > 0)
        {
            detail.Add($"unchanged={unchanged}");
        }
        if (changed > 0)
        {
            detail.Add($"changed={changed}");
        }
        sb.Append(C(o, Green, $"Succeeded: {succeeded}")).Append(detail.Count > 0 ? C(o, Cyan, $" ({string.Join(", ", detail)})") : string.Empty).Append('\n');
        sb.Append(C(o, failed > 0 ? Red : Cyan, $"Failed:    {failed}")).Append('\n');
        sb.Append(C(o, Cyan, "------------")).Append('\n');
        sb.Append(C(o, Cyan, $"Total states run: {ordered.Count,5}")).Append('\n');
        var (amount, unit) = total > 999 ? (total / 1000, "s") : (total, "ms");
        sb.Append(C(o, Cyan, $"Total run time: {amount.ToString("0.000", CultureInfo.InvariantCulture),7} {unit}")).Append('\n');
    }

    private static string Ms(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Py(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        _ => DataTree.KeyToString(value),
    };

    // Salt's nested outputter: "----------" before a mapping, "key:" then the value indented by 4.
    private static void Nested(StringBuilder sb, object? value, int indent)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case Dictionary<string, object?> dict:
                sb.Append(pad).Append("----------\n");
                foreach (var (key, item) in dict.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(pad).Append(key).Append(":\n");
                    Nested(sb, item, indent + 4);
                }
                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    if (item is Dictionary<string, object?> or List<object?>)
                    {
                        sb.Append(pad).Append("|_\n");
                        Nested(sb, item, indent + 2);
                    }
                    else
                    {
                        sb.Append(pad).Append("- ").Append(Py(item)).Append('\n');
                    }
                }
                break;
            case string s:
                foreach (var line in s.Split('\n'))
                {
                    sb.Append(pad).Append(line).Append('\n');
                }
                break;
            default:
                sb.Append(pad).Append(Py(value)).Append('\n');
                break;
        }
    }
}
