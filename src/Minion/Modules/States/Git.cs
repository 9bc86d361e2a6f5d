using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>git.latest</c>: a checkout at the newest commit of a remote branch, using the git CLI through <c>cmd.run_all</c>.</summary>
[StateModule("git")]
public sealed partial class GitState : IStateModule
{
    public string Doc => "Manage git checkouts.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("latest", [FunctionParameter.Req("name"), FunctionParameter.Req("target")], LatestAsync,
            "Clones name (a repository URL) into target, or updates it to the newest commit of rev (default: the remote HEAD)."),
        .. ConfigFunctions,
    ];

    private static async Task<(long Code, string Out, string Err)> Git(StateCall c, string args, CancellationToken ct) =>
        await StateInvoke.ShellAsync(c, "git " + args, ct).ConfigureAwait(false);

    private static async Task<StateReturn> LatestAsync(StateCall c, CancellationToken ct)
    {
        var target = c.GetString("target")!;
        var rev = c.GetString("rev") ?? c.GetString("branch");
        var q = StateInvoke.Quote(target);
        var exists = Directory.Exists(Path.Combine(target, ".git"));
        var (lsCode, lsOut, lsErr) = await Git(c, $"ls-remote {StateInvoke.Quote(c.Name)} {StateInvoke.Quote(rev ?? "HEAD")}", ct).ConfigureAwait(false);
        if (lsCode != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to check remote refs: {lsErr.Trim()}");
        }
        var remoteSha = lsOut.Split('\n').Select(l => l.Split('\t')[0]).FirstOrDefault(s => s.Length == 40);
        if (remoteSha is null)
        {
            return StateReturn.Fail(c.Name, $"No revision matching '{rev}' exists in the remote repository");
        }
        if (!exists)
        {
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !c.GetBool("force_clone"))
            {
                return StateReturn.Fail(c.Name, $"Target '{target}' exists, is non-empty and is not a git repository. Set the 'force_clone' option to True to remove this directory's contents and proceed with cloning the remote repository");
            }
            if (c.Test)
            {
                var pending = StateReturn.Pending(c.Name, $"Repository {c.Name} would be cloned to {target}");
                pending.Changes["new"] = $"{c.Name} => {target}";
                return pending;
            }
            var branch = rev is not null && rev != "HEAD" && !IsSha(rev) ? $"--branch {StateInvoke.Quote(rev)} " : string.Empty;
            var (code, _, err) = await Git(c, $"clone {branch}{StateInvoke.Quote(c.Name)} {q}", ct).ConfigureAwait(false);
            if (code != 0)
            {
                return StateReturn.Fail(c.Name, $"Clone failed: {err.Trim()}");
            }
            var ret = StateReturn.Ok(c.Name, $"{c.Name} cloned to {target}");
            ret.Changes["new"] = $"{c.Name} => {target}";
            ret.Changes["revision"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = null, ["new"] = await HeadAsync(c, q, ct).ConfigureAwait(false) };
            return ret;
        }
        var local = await HeadAsync(c, q, ct).ConfigureAwait(false);
        if (local == remoteSha)
        {
            return StateReturn.Ok(c.Name, $"Repository {target} is up-to-date");
        }
        if (c.Test)
        {
            var pending = StateReturn.Pending(c.Name, $"Repository {target} would be updated from {Short(local)} to {Short(remoteSha)}");
            pending.Changes["revision"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = local, ["new"] = remoteSha };
            return pending;
        }
        var (fetchCode, _, fetchErr) = await Git(c, $"-C {q} fetch --tags {StateInvoke.Quote(c.Name)} {StateInvoke.Quote(rev ?? "HEAD")}", ct).ConfigureAwait(false);
        if (fetchCode != 0)
        {
            return StateReturn.Fail(c.Name, $"Fetch failed: {fetchErr.Trim()}");
        }
        var (resetCode, _, resetErr) = await Git(c, $"-C {q} reset --hard {remoteSha}", ct).ConfigureAwait(false);
        if (resetCode != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to update {target}: {resetErr.Trim()}");
        }
        var updated = StateReturn.Ok(c.Name, $"Repository {target} updated");
        updated.Changes["revision"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = local, ["new"] = remoteSha };
        return updated;
    }

    private static async Task<string?> HeadAsync(StateCall c, string quotedTarget, CancellationToken ct)
    {
        var (code, stdout, _) = await Git(c, $"-C {quotedTarget} rev-parse HEAD", ct).ConfigureAwait(false);
        return code == 0 ? stdout.Trim() : null;
    }

    private static bool IsSha(string rev) => rev.Length >= 7 && rev.All(Uri.IsHexDigit);

    private static string Short(string? sha) => sha is null ? "None" : sha[..Math.Min(7, sha.Length)];
}
