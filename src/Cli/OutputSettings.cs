using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Output;

namespace Orchestrator.Cli;

/// <summary>The output flags every verb shares: outputter, static, file, colour.</summary>
internal sealed class OutputSettings
{
    public string Format { get; set; } = "nested";

    public bool Static { get; set; }

    public string? OutFile { get; set; }

    public bool? Color { get; set; }

    public string StateOutput { get; set; } = "full";

    public bool StateVerbose { get; set; } = true;

    /// <summary>Consumes an output flag at the cursor; returns false when the word is not one.</summary>
    public bool TryParse(string flag, CliArgs args)
    {
        switch (flag)
        {
            case "--out" or "--output":
                Format = args.Value(flag);
                if (!Outputters.TryGet(Format, out _))
                {
                    throw new UsageException($"unknown outputter '{Format}' (one of {string.Join(", ", Outputters.Names)})");
                }
                return true;
            case "--static":
                Static = true;
                return true;
            case "--out-file":
                OutFile = args.Value(flag);
                return true;
            case "--state-output" or "--state_output":
                var mode = args.Value(flag);
                StateOutput = mode is "full" or "terse" or "mixed" or "changes"
                    ? mode : throw new UsageException("--state-output must be full, terse, mixed or changes");
                return true;
            case "--state-verbose" or "--state_verbose":
                StateVerbose = args.Value(flag).ToLowerInvariant() is not ("false" or "0" or "no");
                return true;
            case "--no-color":
                Color = false;
                return true;
            case "--force-color":
                Color = true;
                return true;
            default:
                return false;
        }
    }

    public OutputOptions Options(TextWriter writer) => new()
    {
        Color = Color ?? (OutFile is null && ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected),
        Static = Static,
        StateOutput = StateOutput,
        StateVerbose = StateVerbose,
    };

    /// <summary>Formats data with the chosen outputter and writes it to the out-file or the writer.</summary>
    public void Write(TextWriter writer, object? data, string? formatOverride = null)
    {
        var text = Outputters.Get(formatOverride ?? Format).Format(data, Options(writer));
        if (OutFile is not null)
        {
            File.AppendAllText(OutFile, text.EndsWith('\n') ? text : text + "\n");
            return;
        }
        writer.Write(text.EndsWith('\n') ? text : text + "\n");
    }
}
