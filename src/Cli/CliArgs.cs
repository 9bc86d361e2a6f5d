namespace Orchestrator.Cli;

/// <summary>A cursor over command-line words, for the hand-written parsers of each verb (salt's syntax is positional-first).</summary>
internal sealed class CliArgs(string[] words)
{
    private int _index;

    public bool More => _index < words.Length;

    public string Peek => words[_index];

    public string Next() => words[_index++];

    public string Value(string flag) =>
        More ? Next() : throw new UsageException($"{flag} needs a value");

    public IEnumerable<string> Rest()
    {
        while (More)
        {
            yield return Next();
        }
    }
}
