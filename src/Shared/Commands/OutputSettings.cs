using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Commands;

/// <summary>The output flags every verb shares (<c>orch</c> and <c>orch call</c>): outputter, static, file, colour, highstate modes.</summary>
public sealed class OutputSettings
{
    /// <summary>The outputter name (<c>--out</c>, default nested).</summary>
    public string Format { get; set; } = "nested";

    /// <summary>Whether the user chose the outputter (<c>--out</c>); otherwise the function's own outputter is used.</summary>
    public bool FormatChosen { get; set; }

    /// <summary>Print all returns at once (<c>--static</c>).</summary>
    public bool Static { get; set; }

    /// <summary>Append the output to this file instead (<c>--out-file</c>).</summary>
    public string? OutFile { get; set; }

    /// <summary>Colours forced on or off; null: on for a terminal.</summary>
    public bool? Color { get; set; }

    /// <summary>The highstate outputter's <c>--state-output</c> mode.</summary>
    public string StateOutput { get; set; } = "full";

    /// <summary>The highstate outputter's <c>--state-verbose</c>.</summary>
    public bool StateVerbose { get; set; } = true;

    /// <summary>The output options of a command line; <paramref name="staticByDefault"/> for verbs that print one document.</summary>
    public static OutputSettings From(ParsedCommandLine args, bool staticByDefault = false)
    {
        var settings = new OutputSettings { Static = staticByDefault || args.Has("--static"), OutFile = args.Value("--out-file") };
        if (args.Value("--out") is { } format)
        {
            settings.Format = Outputters.TryGet(format, out _)
                ? format : throw new UsageException($"unknown outputter '{format}' (one of {string.Join(", ", Outputters.Names)})");
            settings.FormatChosen = true;
        }
        if (args.Value("--state-output") is { } mode)
        {
            settings.StateOutput = mode is "full" or "terse" or "mixed" or "changes"
                ? mode : throw new UsageException("--state-output must be full, terse, mixed or changes");
        }
        if (args.Value("--state-verbose") is { } verbose)
        {
            settings.StateVerbose = verbose.ToLowerInvariant() is not ("false" or "0" or "no");
        }
        // The last colour switch typed wins.
        var color = args.Options.LastOrDefault(o => o.Spec.Canonical is "--no-color" or "--force-color").Spec?.Canonical;
        settings.Color = color switch { "--no-color" => false, "--force-color" => true, _ => null };
        return settings;
    }

    /// <summary>
    /// The outputter for data of a function that declares <paramref name="functionOutputter"/> (Salt's <c>__outputter__</c>,
    /// carried in returns as <c>out</c>): the user's <c>--out</c> wins, else the function's, else nested.
    /// </summary>
    public string OutputterFor(string? functionOutputter) =>
        !FormatChosen && !string.IsNullOrEmpty(functionOutputter) && Outputters.TryGet(functionOutputter, out _) ? functionOutputter : Format;

    /// <summary>The outputter options for writing to <paramref name="writer"/>.</summary>
    public OutputOptions Options(TextWriter writer) => new()
    {
        Color = Color ?? (OutFile is null && ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected),
        Static = Static,
        StateOutput = StateOutput,
        StateVerbose = StateVerbose,
    };

    /// <summary>
    /// Formats data with the chosen outputter (or <paramref name="formatOverride"/>) and writes it to the out-file or the
    /// writer; an outputter that prints nothing (quiet) writes nothing. <paramref name="retcode"/> colours a failed return.
    /// </summary>
    public void Write(TextWriter writer, object? data, string? formatOverride = null, int retcode = 0)
    {
        var text = Outputters.Get(string.IsNullOrEmpty(formatOverride) ? Format : formatOverride).Format(data, Options(writer) with { Retcode = retcode });
        if (text.Length == 0)
        {
            return;
        }
        if (OutFile is not null)
        {
            File.AppendAllText(OutFile, text.EndsWith('\n') ? text : text + "\n");
            return;
        }
        writer.Write(text.EndsWith('\n') ? text : text + "\n");
    }
}
