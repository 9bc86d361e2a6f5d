namespace Orchestrator.Shared.Commands;

/// <summary>
/// A cursor over command-line words, for the hand-written parsers of each verb (salt's syntax is positional-first).
/// Flags may carry their value inline, as in <c>--out=json</c> or <c>--state-verbose=False</c>, and may come anywhere
/// among the positional words (<see cref="OptionWords"/>). Shared by <c>orch</c> and <c>orch-minion call</c>.
/// </summary>
public sealed class CliArgs(string[] words)
{
    private int _index;
    private string? _inlineValue;
    private bool _optionsEnded;

    /// <summary>
    /// Walks all the words: positional ones are added to <paramref name="positional"/>, and each option is yielded for the
    /// caller to handle (taking its argument with <see cref="Value"/> before the walk goes on).
    /// </summary>
    public IEnumerable<string> Options(List<string> positional)
    {
        while (More)
        {
            if (NextIsOption())
            {
                yield return NextFlag();
            }
            else if (More)
            {
                positional.Add(Next());
            }
        }
    }

    /// <summary>Whether the next word is an option; steps over a <c>--</c>, after which no word is.</summary>
    private bool NextIsOption()
    {
        if (!_optionsEnded && More && Peek == OptionWords.EndOfOptions)
        {
            _optionsEnded = true;
            _index++;
        }
        return More && !_optionsEnded && OptionWords.IsOption(Peek);
    }

    /// <summary>Whether any word is left.</summary>
    public bool More => _index < words.Length;

    /// <summary>The next word, not consumed.</summary>
    public string Peek => words[_index];

    /// <summary>Consumes and returns the next word.</summary>
    public string Next() => words[_index++];

    /// <summary>The next word as a flag; a <c>--name=value</c> word yields <c>--name</c> and keeps the value for <see cref="Value"/>.</summary>
    public string NextFlag()
    {
        var word = Next();
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        if (word.StartsWith("--", StringComparison.Ordinal) && eq > 2)
        {
            _inlineValue = word[(eq + 1)..];
            return word[..eq];
        }
        _inlineValue = null;
        return word;
    }

    /// <summary>The argument of <paramref name="flag"/>: its inline value, else the next word; a <see cref="UsageException"/> if none.</summary>
    public string Value(string flag)
    {
        if (_inlineValue is { } inline)
        {
            _inlineValue = null;
            return inline;
        }
        return More ? Next() : throw new UsageException($"{flag} needs a value");
    }
}
