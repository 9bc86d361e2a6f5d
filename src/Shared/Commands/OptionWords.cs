using System.Globalization;

namespace Orchestrator.Shared.Commands;

/// <summary>
/// How the command lines tell options from positional words. Like Salt's CLIs (optparse with interspersed arguments),
/// options may come anywhere, before or after the target and function: <c>orch '*' test.sleep 1 --out json</c>. A word
/// is an option when it starts with <c>-</c> and is not a lone <c>-</c> or a negative number; <c>--</c> ends the options,
/// so <c>orch web1 test.arg -- --literal</c> passes <c>--literal</c> to the function.
/// </summary>
public static class OptionWords
{
    /// <summary>The word after which every word is positional.</summary>
    public const string EndOfOptions = "--";

    /// <summary>Whether <paramref name="word"/> is an option (or an option with its value, <c>--out=json</c>).</summary>
    public static bool IsOption(string word) =>
        word.Length > 1 && word[0] == '-' && !double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
