namespace Orchestrator.Shared.Commands;

/// <summary>A command line split by <see cref="CommandLineParser"/>: the verb, its positional words, and its options in the order typed.</summary>
public sealed class ParsedCommandLine
{
    /// <summary>The verb the words name (publish when none).</summary>
    public required CliVerb Verb { get; init; }

    /// <summary>The words after the verb word is taken out, as typed (what <c>orch call</c> hands on to the minion binary).</summary>
    public required IReadOnlyList<string> Words { get; init; }

    /// <summary>The words that are not options: target, function, arguments.</summary>
    public List<string> Positional { get; } = [];

    /// <summary>The options in the order typed, with their values.</summary>
    public List<(OptionSpec Spec, string? Value)> Options { get; } = [];

    /// <summary>Whether the option was typed.</summary>
    public bool Has(string canonical) => Options.Any(o => o.Spec.Canonical == canonical);

    /// <summary>The value of the last <paramref name="canonical"/> option typed (a later one wins, as with optparse), or null.</summary>
    public string? Value(string canonical) => Options.LastOrDefault(o => o.Spec.Canonical == canonical).Value;

    /// <summary>The value as a positive whole number, or a usage error naming the option.</summary>
    public int? PositiveInt(string canonical)
    {
        var text = Value(canonical);
        return text is null ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new UsageException($"{canonical} needs a positive whole number, not '{text}'");
    }

    /// <summary>The config dir from <c>-c</c>, else <c>ORCH_CONFIG_DIR</c>, else <c>/etc/orchestrator</c>.</summary>
    public string ConfigDir => Value("--config-dir")
        ?? (Environment.GetEnvironmentVariable("ORCH_CONFIG_DIR") is { Length: > 0 } dir ? dir : "/etc/orchestrator");
}
