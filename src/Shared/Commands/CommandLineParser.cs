namespace Orchestrator.Shared.Commands;

/// <summary>
/// The one parser of every verb. As with Salt's CLIs (optparse with interspersed arguments), options may come before the
/// verb, between the verb and the function, or after the arguments: <c>orch -c DIR key -L</c>, <c>orch key -c DIR -L</c> and
/// <c>orch '*' test.ping --out json</c> all work. <c>--name=value</c> and <c>-tVALUE</c> carry their value inline, short
/// switches cluster (<c>-yA</c>), and <c>--</c> ends the options.
/// </summary>
/// <remarks>
/// The verb is the first positional word when it is <c>key</c>, <c>run</c>, <c>call</c> or <c>cloud</c>; a target flag before it
/// (<c>orch -L key,web1 test.ping</c>) makes that word a target, so a minion named like a verb can still be reached.
/// </remarks>
public static class CommandLineParser
{
    private static readonly Dictionary<string, CliVerb> VerbWords = new(StringComparer.Ordinal)
    {
        ["key"] = CliVerb.Key,
        ["run"] = CliVerb.Run,
        ["call"] = CliVerb.Call,
        ["cloud"] = CliVerb.Cloud,
    };

    /// <summary>The verb's word as users type it (<c>orch</c> for a publish).</summary>
    public static string VerbName(CliVerb verb) => verb switch
    {
        CliVerb.Key => "orch key",
        CliVerb.Run => "orch run",
        CliVerb.Call => "orch call",
        CliVerb.Cloud => "orch cloud",
        _ => "orch",
    };

    /// <summary>Splits <paramref name="words"/>; with <paramref name="verb"/> given, the words hold no verb word.</summary>
    public static ParsedCommandLine Parse(IReadOnlyList<string> words, CliVerb? verb = null)
    {
        var rest = words.ToList();
        if (verb is null)
        {
            var (found, index) = FindVerb(words);
            verb = found;
            if (index >= 0)
            {
                rest.RemoveAt(index);
            }
        }
        var parsed = new ParsedCommandLine { Verb = verb.Value, Words = rest };
        Walk(rest, parsed);
        return parsed;
    }

    /// <summary>The verb <paramref name="words"/> name, without parsing the rest (for messages about a line that fails to parse).</summary>
    public static CliVerb VerbOf(IReadOnlyList<string> words) => FindVerb(words).Verb;

    private static (CliVerb Verb, int Index) FindVerb(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word == OptionWords.EndOfOptions)
            {
                break;
            }
            if (!OptionWords.IsOption(word))
            {
                return VerbWords.TryGetValue(word, out var v) ? (v, i) : (CliVerb.Publish, -1);
            }
            var name = word.StartsWith("--", StringComparison.Ordinal) && word.Contains('=', StringComparison.Ordinal) ? null : word;
            if (name is null)
            {
                continue;
            }
            if (CliOptionTable.TargetType(CliOptionTable.Find(name, CliVerb.Publish)?.Canonical ?? "") is not null)
            {
                return (CliVerb.Publish, -1);
            }
            // Before the verb is known, an option takes a value if it takes one for any verb that has it.
            var spec = CliOptionTable.Find(name, CliVerb.Publish) ?? CliOptionTable.All.FirstOrDefault(o => o.Names.Contains(name, StringComparer.Ordinal));
            if (spec?.TakesValue == true)
            {
                i++;
            }
        }
        return (CliVerb.Publish, -1);
    }

    private static void Walk(List<string> words, ParsedCommandLine parsed)
    {
        var verbName = VerbName(parsed.Verb);
        var optionsEnded = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!optionsEnded && word == OptionWords.EndOfOptions)
            {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !OptionWords.IsOption(word))
            {
                parsed.Positional.Add(word);
                continue;
            }
            string? TakeNext(string flag) =>
                i + 1 < words.Count ? words[++i] : throw new UsageException($"{flag} needs a value");
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 2 ? word[..eq] : word;
                var spec = CliOptionTable.Find(name, parsed.Verb) ?? throw Unknown(name, verbName);
                if (!spec.TakesValue && eq > 2)
                {
                    throw new UsageException($"{name} takes no value");
                }
                parsed.Options.Add((spec, spec.TakesValue ? (eq > 2 ? word[(eq + 1)..] : TakeNext(name)) : null));
                continue;
            }
            // Short options: "-t 5", "-t5", and clustered switches "-yA" (optparse's rules).
            for (var c = 1; c < word.Length; c++)
            {
                var flag = "-" + word[c];
                var spec = CliOptionTable.Find(flag, parsed.Verb) ?? throw Unknown(c == 1 ? word : flag, verbName);
                if (spec.TakesValue)
                {
                    parsed.Options.Add((spec, c + 1 < word.Length ? word[(c + 1)..] : TakeNext(flag)));
                    break;
                }
                parsed.Options.Add((spec, null));
            }
        }
    }

    private static UsageException Unknown(string flag, string verbName) =>
        new($"unknown option '{flag}' for {verbName} (use -- before arguments that start with -)");
}
