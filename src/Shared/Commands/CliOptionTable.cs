namespace Orchestrator.Shared.Commands;

/// <summary>
/// Every option of every verb, in one table: the parser, the per-verb help and the search for the verb all read it, so a
/// flag means the same wherever it is typed. Where Salt's CLIs give one letter two meanings (<c>-l</c> is salt-key's
/// <c>--list</c> and salt's <c>--log-level</c>; <c>-L</c> is salt-key's <c>--list-all</c> and salt's list target), the
/// verb decides, as the separate Salt programs do.
/// </summary>
public static class CliOptionTable
{
    private const CliVerb Output = CliVerb.All;

    /// <summary>Salt's log levels, in its order (<c>-l</c>, <c>--log-level</c>).</summary>
    public static readonly IReadOnlyList<string> LogLevels =
        ["all", "garbage", "trace", "debug", "profile", "info", "warning", "error", "critical", "quiet"];

    /// <summary>Target flags of <c>orch TARGET FUN</c>: the flag and the target type it selects.</summary>
    public static readonly IReadOnlyList<(string Short, string Long, string Type)> TargetFlags =
    [
        ("-L", "--list", "list"), ("-E", "--pcre", "pcre"), ("-G", "--grain", "grain"), ("-P", "--grain-pcre", "grain_pcre"),
        ("-I", "--pillar", "pillar"), ("-J", "--pillar-pcre", "pillar_pcre"), ("-S", "--ipcidr", "ipcidr"),
        ("-N", "--nodegroup", "nodegroup"), ("-C", "--compound", "compound"),
    ];

    /// <summary>Every option, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new(["-h", "--help"], null, CliVerb.All, "show this verb's usage and exit"),
        new(["-c", "--config-dir"], "DIR", CliVerb.All, "configuration directory (default $ORCH_CONFIG_DIR or /etc/orchestrator)"),
        new(["-l", "--log-level"], "LEVEL", CliVerb.Publish | CliVerb.Run | CliVerb.Call | CliVerb.Cloud, "console log level: " + string.Join(", ", LogLevels) + " (default warning)"),
        new(["--log-level"], "LEVEL", CliVerb.Key, "console log level (-l is --list here, as in salt-key)"),
        new(["--versions-report"], null, CliVerb.All, "show the versions of the program and its dependencies and exit"),
        new(["-V", "--version"], null, CliVerb.All, "show the program's version and exit"),

        new(["--out", "--output"], "FORMAT", Output, "outputter: nested (default), json, yaml, txt, raw, highstate, quiet"),
        new(["--static"], null, Output, "print all returns at once, as one document"),
        new(["--out-file"], "FILE", Output, "append the output to FILE"),
        new(["--state-output", "--state_output"], "MODE", Output, "highstate output: full, terse, mixed, changes"),
        new(["--state-verbose", "--state_verbose"], "BOOL", Output, "False hides states that succeeded without changes"),
        new(["--no-color"], null, Output, "no ANSI colours"),
        new(["--force-color"], null, Output, "ANSI colours even when not on a terminal"),

        new(["-t", "--timeout"], "SECONDS", CliVerb.Publish, "how long to wait for returns (default: the master's timeout)"),
        new(["--async"], null, CliVerb.Publish, "publish and print the jid without waiting"),
        new(["-v", "--verbose"], null, CliVerb.Publish, "show the jid and the minions still pending"),
        new(["-p", "--progress"], null, CliVerb.Publish, "a live \"k of n returned\" line on a terminal"),
        new(["--hide-timeout"], null, CliVerb.Publish, "do not list the minions that did not return"),
        new(["--summary"], null, CliVerb.Publish, "print a summary of the returns after them"),
        new(["--subset"], "N", CliVerb.Publish, "run on N minions picked at random among the targeted"),
        new(["-b", "--batch", "--batch-size"], "N|N%", CliVerb.Publish, "run on N minions (or N percent) at a time"),
        new(["--batch-wait"], "SECONDS", CliVerb.Publish, "wait between batches"),
        new(["--failhard"], null, CliVerb.Publish, "with --batch: start no new batch after a minion fails"),
        .. TargetFlags.Select(f => new OptionSpec([f.Short, f.Long], null, CliVerb.Publish, $"target type {f.Type}")),

        new(["-y", "--yes"], null, CliVerb.Key, "answer yes to the question"),
        new(["-L", "--list-all"], null, CliVerb.Key, "list all keys"),
        new(["-l", "--list"], "STATE", CliVerb.Key, "list the keys in STATE: pre (unaccepted), acc, rej, den"),
        new(["-a", "--accept"], "GLOB", CliVerb.Key, "accept the pending keys matching GLOB"),
        new(["-A", "--accept-all"], null, CliVerb.Key, "accept all pending keys"),
        new(["-r", "--reject"], "GLOB", CliVerb.Key, "reject the pending keys matching GLOB"),
        new(["-R", "--reject-all"], null, CliVerb.Key, "reject all pending keys"),
        new(["-d", "--delete"], "GLOB", CliVerb.Key, "delete the keys matching GLOB"),
        new(["-D", "--delete-all"], null, CliVerb.Key, "delete all keys"),
        new(["-f", "--finger"], "GLOB", CliVerb.Key, "print the fingerprints of the keys matching GLOB"),
        new(["-F", "--finger-all"], null, CliVerb.Key, "print the fingerprints of all keys"),
        new(["--include-rejected"], null, CliVerb.Key, "accept: also rejected keys; reject: also accepted keys"),
        new(["--include-denied"], null, CliVerb.Key, "accept: also denied keys"),
        new(["--include-all"], null, CliVerb.Key, "--include-rejected and --include-denied"),

        new(["-p", "--profile"], "PROFILE", CliVerb.Cloud, "create the named nodes from PROFILE"),
        new(["-d", "--destroy"], null, CliVerb.Cloud, "destroy the named nodes"),
        new(["-y", "--assume-yes"], null, CliVerb.Cloud, "destroy without asking"),
        new(["-Q", "--query"], null, CliVerb.Cloud, "list the nodes of every provider"),
        new(["-F", "--full-query"], null, CliVerb.Cloud, "list the nodes with their pid, root dir and addresses"),
        new(["--list-profiles"], null, CliVerb.Cloud, "list the configured profiles (of one provider when one is named)"),
        new(["--list-providers"], null, CliVerb.Cloud, "list the configured providers"),

        new(["--local"], null, CliVerb.Call, "run without a master: files and pillar from this host"),
        new(["--file-root"], "DIR", CliVerb.Call, "with --local: the file root (instead of file_roots)"),
        new(["--pillar-root"], "DIR", CliVerb.Call, "with --local: the pillar root (instead of pillar_roots)"),
        new(["--retcode-passthrough"], null, CliVerb.Call, "exit with the function's retcode (the default here, accepted for Salt's scripts)"),
    ];

    /// <summary>The spec of <paramref name="word"/> for <paramref name="verb"/>, or null when that verb has no such option.</summary>
    public static OptionSpec? Find(string word, CliVerb verb) =>
        All.FirstOrDefault(o => (o.Verbs & verb) != 0 && o.Names.Contains(word, StringComparer.Ordinal));

    /// <summary>The target type a target flag selects, or null.</summary>
    public static string? TargetType(string canonical) =>
        TargetFlags.FirstOrDefault(f => f.Long == canonical).Type;
}
