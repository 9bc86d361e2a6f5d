using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>file.blockreplace</c> execution function.</summary>
public sealed partial class FileModule
{
    private static readonly ModuleFunction BlockreplaceFunction = new("blockreplace",
        "Replace the content of a text block in a file, delimited by line markers (the marker lines are kept). The block is added " +
        "at the end (append_if_not_found), the start (prepend_if_not_found) or before/after the first line matching a regex " +
        "(insert_before_match, insert_after_match) when the markers are not found; otherwise that is an error. The file is " +
        "backed up with the backup suffix (False: none) before a change; dry_run changes nothing. Returns the unified diff " +
        "(show_changes=True) or whether the file changed.\n\nCLI Example: orch '*' file.blockreplace /etc/hosts '#-- start managed zone foobar : " +
        "DO NOT EDIT --' '#-- end managed zone foobar --' $'10.0.1.1 foo.foobar\\n10.0.1.2 bar.foobar' True",
        [Req("path"), Opt("marker_start", "#-- start managed zone --"), Opt("marker_end", "#-- end managed zone --"), Opt("content", ""),
         Opt("append_if_not_found", false), Opt("prepend_if_not_found", false), Opt("backup", ".bak"), Opt("dry_run", false),
         Opt("show_changes", true), Opt("append_newline", false), Opt("insert_before_match"), Opt("insert_after_match")],
        Blockreplace);

    private static Task<object?> Blockreplace(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = FullPath(call);
        var backup = call["backup"] is false ? null : call.GetString("backup");
        var diff = BlockReplace.Run(path, call.GetString("marker_start") ?? string.Empty, call.GetString("marker_end") ?? string.Empty,
            new BlockReplaceOptions(
                call.GetString("content") ?? string.Empty,
                call.GetBool("append_if_not_found"),
                call.GetBool("prepend_if_not_found"),
                call.GetString("insert_before_match"),
                call.GetString("insert_after_match"),
                backup,
                call.GetBool("dry_run"),
                call["append_newline"] is null ? null : call.GetBool("append_newline")));
        return Task.FromResult<object?>(call.GetBool("show_changes", true) ? diff : diff.Length > 0);
    }
}
