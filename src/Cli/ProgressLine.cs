namespace Orchestrator.Cli;

/// <summary>
/// The live "k of n returned" line on stderr. On a terminal it is redrawn in place and cleared before each output block,
/// so it never mixes into the printed returns; with --progress into a pipe or file each update is a line of its own.
/// </summary>
internal sealed class ProgressLine
{
    private readonly TextWriter _writer;
    private readonly bool _terminal;
    private readonly bool _enabled;
    private readonly HashSet<string> _returned = new(StringComparer.Ordinal);
    private int _total;
    private bool _shown;

    public ProgressLine(TextWriter writer, bool forced)
    {
        _writer = writer;
        _terminal = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
        _enabled = forced || _terminal;
    }

    public void Start(int total)
    {
        _total = total;
        Draw();
    }

    public void Returned(string id)
    {
        _returned.Add(id);
        Draw();
    }

    public void Clear()
    {
        if (_terminal && _shown)
        {
            _writer.Write("\r\u001b[K");
        }
        _shown = false;
    }

    private void Draw()
    {
        if (!_enabled || _total == 0)
        {
            return;
        }
        var line = $"{_returned.Count} of {_total} returned";
        _writer.Write(_terminal ? $"\r\u001b[K{line}" : line + "\n");
        _shown = true;
    }
}
