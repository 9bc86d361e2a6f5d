using System.Text;

namespace Orchestrator.Shared.Commands;

/// <summary>The <c>--help</c> text of each verb, made from <see cref="CliOptionTable"/> so it lists exactly what the parser takes.</summary>
public static class VerbUsage
{
    private static readonly Dictionary<CliVerb, string> Synopsis = new()
    {
        [CliVerb.Publish] = "orch [OPTIONS] [TARGET-FLAG] '<target>' <module.function> [ARG ...] [KEY=VALUE ...]",
        [CliVerb.Key] = "orch key [OPTIONS] -L | -l STATE | -a GLOB | -A | -r GLOB | -R | -d GLOB | -D | -f GLOB | -F   [-y]",
        [CliVerb.Run] = "orch run [OPTIONS] <runner.function> [ARG ...] [KEY=VALUE ...]",
        [CliVerb.Call] = "orch call [OPTIONS] <module.function> [ARG ...] [KEY=VALUE ...]",
        [CliVerb.Cloud] = "orch cloud [OPTIONS] -p PROFILE NAME [NAME ...] | -d NAME [NAME ...] [-y] | -Q | -F | --list-profiles [PROVIDER] | --list-providers",
    };

    private static readonly Dictionary<CliVerb, string> Purpose = new()
    {
        [CliVerb.Publish] = "Runs an execution module function on the targeted minions, through the master (salt).",
        [CliVerb.Key] = "Lists, accepts, rejects and deletes minion keys on the master (salt-key).",
        [CliVerb.Run] = "Runs a runner function on the master: jobs.*, manage.*, state.event, event.send, reactor.* (salt-run).",
        [CliVerb.Call] = "Runs an execution module function on this host, with the master's files and pillar or, with --local, none (salt-call).",
        [CliVerb.Cloud] = "Creates nodes from cloud profiles, lists and destroys them, through the master's cloud runner (salt-cloud).",
    };

    /// <summary>
    /// What <c>--help</c>, <c>--versions-report</c> or <c>--version</c> print for this command line (the first typed of
    /// them wins, in that order), or null when none was asked for: the command then runs.
    /// </summary>
    public static string? InformationFor(ParsedCommandLine args) =>
        args.Has("--help") ? For(args.Verb)
        : args.Has("--versions-report") ? VersionsReport.Build()
        : args.Has("--version") ? $"orch {Daemon.DaemonCommandLine.Version}\n"
        : null;

    /// <summary>The help of <paramref name="verb"/>; the publish verb's also lists the others.</summary>
    public static string For(CliVerb verb)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage:");
        if (verb == CliVerb.Publish)
        {
            foreach (var line in Synopsis.Values)
            {
                text.Append("  ").AppendLine(line);
            }
        }
        else
        {
            text.Append("  ").AppendLine(Synopsis[verb]);
        }
        text.AppendLine().AppendLine(Purpose[verb]);
        text.AppendLine("Options may come before or after the verb, the target and the function; after \"--\" every word is an argument.");
        if (verb == CliVerb.Publish)
        {
            text.AppendLine("Each verb has its own help: orch key --help, orch run --help, orch call --help, orch cloud --help.");
        }
        text.AppendLine().AppendLine("Options:");
        foreach (var spec in CliOptionTable.All.Where(o => (o.Verbs & verb) != 0 && CliOptionTable.TargetType(o.Canonical) is null))
        {
            AppendOption(text, string.Join(", ", spec.Names) + (spec.ValueName is { } v ? " " + v : ""), spec.Help);
        }
        if (verb == CliVerb.Publish)
        {
            text.AppendLine().AppendLine("Target flags (default: glob):");
            foreach (var (shortFlag, longFlag, type) in CliOptionTable.TargetFlags)
            {
                AppendOption(text, $"{shortFlag}, {longFlag}", type);
            }
        }
        return text.ToString();
    }

    private static void AppendOption(StringBuilder text, string names, string help) =>
        text.Append("  ").Append(names.PadRight(30)).Append(' ').AppendLine(help);
}
