using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Data;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// How a publish's returns reach the terminal, for a single job and for batches alike: each return as it arrives (or all
/// at once with <c>--static</c>, or merged when the function's outputter needs all of them, as <c>sys.doc</c>'s), the
/// minions that did not return (unless <c>--hide-timeout</c>), Salt's <c>--summary</c>, and the exit status.
/// </summary>
internal sealed class PublishDisplay(bool verbose, bool progress, bool hideTimeout, bool summary, OutputSettings output)
{
    /// <summary>Function outputters that format all returns together (Salt prints docs once, not once per minion).</summary>
    private static readonly HashSet<string> MergingOutputters = new(StringComparer.Ordinal) { "doc" };

    private readonly Dictionary<string, object?> _collected = new(StringComparer.Ordinal);
    private readonly List<string> _failed = [];
    private readonly List<string> _notConnected = [];
    private readonly List<string> _noResponse = [];
    private ProgressLine? _progress;
    private string? _functionOutputter;
    private int _returned;

    public OutputSettings Output => output;

    public bool Verbose => verbose;

    /// <summary>The exit status so far: 1 once a minion failed or did not return (Salt's EX_GENERIC).</summary>
    public int Exit { get; private set; }

    private bool Collecting => output.Static || (_functionOutputter is not null && MergingOutputters.Contains(output.OutputterFor(_functionOutputter)));

    public void Started(int minions, TextWriter stderr)
    {
        _progress ??= new ProgressLine(stderr, progress);
        _progress.Start(minions);
    }

    public void Returned(string id, Dictionary<string, object?> message, TextWriter stdout)
    {
        var retcode = message.GetValueOrDefault("retcode") as long? ?? 0;
        _returned++;
        if (retcode != 0)
        {
            _failed.Add(id);
            Exit = 1;
        }
        if (message.GetValueOrDefault("out") is string { Length: > 0 } functionOutputter)
        {
            _functionOutputter ??= functionOutputter;
        }
        _progress?.Clear();
        if (Collecting)
        {
            _collected[id] = message.GetValueOrDefault("return");
        }
        else
        {
            var single = new Dictionary<string, object?>(StringComparer.Ordinal) { [id] = message.GetValueOrDefault("return") };
            output.Write(stdout, single, output.OutputterFor(message.GetValueOrDefault("out") as string));
        }
        _progress?.Returned(id);
    }

    /// <summary>
    /// Minions that did not return, with Salt's two words: [No response] for one that was up but did not answer in time,
    /// [Not connected] for one the master knew to be down, which nobody waited for.
    /// </summary>
    public void DidNotReturn(IEnumerable<string> noResponse, IEnumerable<string> notConnected, TextWriter stdout)
    {
        _progress?.Clear();
        var missing = noResponse.Select(id => (id, "Minion did not return. [No response]"))
            .Concat(notConnected.Select(id => (id, "Minion did not return. [Not connected]")))
            .OrderBy(m => m.id, StringComparer.Ordinal).ToList();
        foreach (var (id, text) in missing)
        {
            (text.EndsWith("[Not connected]", StringComparison.Ordinal) ? _notConnected : _noResponse).Add(id);
            Exit = 1;
            if (hideTimeout)
            {
                continue;
            }
            if (Collecting)
            {
                _collected[id] = text;
            }
            else
            {
                // A text line is data, not a state run: never through the highstate outputter.
                output.Write(stdout, new Dictionary<string, object?>(StringComparer.Ordinal) { [id] = text },
                    output.Format == "highstate" ? "nested" : null);
            }
        }
    }

    /// <summary>Prints what was held back, the summary and the non-zero line; returns the exit status.</summary>
    public int Finish(TextWriter stdout, TextWriter stderr)
    {
        _progress?.Clear();
        if (Collecting && _collected.Count > 0)
        {
            output.Write(stdout, _collected, output.OutputterFor(_functionOutputter));
        }
        var missing = _noResponse.Concat(_notConnected).Order(StringComparer.Ordinal).ToList();
        if (verbose && missing.Count > 0)
        {
            stderr.WriteLine($"Minions that did not return: {string.Join(", ", missing)}");
        }
        if (summary && !output.FormatChosen)
        {
            WriteSummary(stdout);
        }
        if (_failed.Count > 0)
        {
            // Salt's line, on stderr, so scripts reading stdout get only the returns.
            stderr.WriteLine("ERROR: Minions returned with non-zero exit code");
        }
        return Exit;
    }

    /// <summary>Salt's <c>--summary</c> block (salt/cli/salt.py), with its verbose lines.</summary>
    private void WriteSummary(TextWriter stdout)
    {
        const string rule = "-------------------------------------------";
        stdout.WriteLine("\n");
        stdout.WriteLine(rule);
        stdout.WriteLine("Summary");
        stdout.WriteLine(rule);
        stdout.WriteLine($"# of minions targeted: {_returned + _noResponse.Count + _notConnected.Count}");
        stdout.WriteLine($"# of minions returned: {_returned}");
        stdout.WriteLine($"# of minions that did not return: {_noResponse.Count + _notConnected.Count}");
        stdout.WriteLine($"# of minions with errors: {_failed.Count}");
        if (verbose)
        {
            if (_notConnected.Count > 0)
            {
                stdout.WriteLine($"Minions not connected: {string.Join(" ", _notConnected.Order(StringComparer.Ordinal))}");
            }
            if (_noResponse.Count > 0)
            {
                stdout.WriteLine($"Minions not responding: {string.Join(" ", _noResponse.Order(StringComparer.Ordinal))}");
            }
            if (_failed.Count > 0)
            {
                stdout.WriteLine($"Minions with failures: {string.Join(" ", _failed.Order(StringComparer.Ordinal))}");
            }
        }
        stdout.WriteLine(rule);
    }

    /// <summary>Salt's line when a target matches no minion (exit 2).</summary>
    public const string NoMatch = "No minions matched the target. No command was sent, no jid was assigned.";

    /// <summary>The minions the master would target for the request's <c>tgt</c> and <c>tgt_type</c>, sorted.</summary>
    public static async Task<List<string>> ExpectedMinionsAsync(
        Orchestrator.Shared.Ipc.MasterClient client, Dictionary<string, object?> request, CancellationToken cancellationToken)
    {
        var expected = await client.CallAsync("expected", new() { ["tgt"] = request["tgt"], ["tgt_type"] = request["tgt_type"] }, cancellationToken)
            .ConfigureAwait(false);
        return Ids(expected, "minions").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The ids under <paramref name="key"/> of a stream message.</summary>
    public static IEnumerable<string> Ids(Dictionary<string, object?> message, string key) =>
        (message.GetValueOrDefault(key) as List<object?> ?? []).Select(DataTree.KeyToString);
}
