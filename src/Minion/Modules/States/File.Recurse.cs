using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

// file.recurse.
public sealed partial class FileState
{
    private static async Task<StateReturn> RecurseAsync(StateCall c, CancellationToken cancellationToken)
    {
        var source = c.GetString("source")!.TrimEnd('/');
        if (!source.StartsWith("salt://", StringComparison.Ordinal) || c.Context.Files is null)
        {
            return StateReturn.Fail(c.Name, "Recurse failed: source must be a salt:// URL");
        }
        var prefix = source["salt://".Length..].Trim('/') + "/";
        var files = await c.Context.Files.ListFilesAsync(c.Saltenv, cancellationToken).ConfigureAwait(false);
        var ret = New(c);
        var matched = files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (matched.Count == 0)
        {
            return StateReturn.Fail(c.Name, $"Recurse failed: none of the specified sources were found");
        }
        foreach (var file in matched)
        {
            var relative = file[prefix.Length..];
            var target = Path.Combine(c.Name, relative);
            var local = await c.Context.Files.CacheFileAsync("salt://" + file, c.Saltenv, cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                continue;
            }
            var desired = await System.IO.File.ReadAllBytesAsync(local, cancellationToken).ConfigureAwait(false);
            var exists = System.IO.File.Exists(target);
            if (exists && (await System.IO.File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false)).SequenceEqual(desired))
            {
                continue;
            }
            ret.Changes[target] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["diff"] = exists ? "Replace binary file" : "New file" };
            if (!c.Test)
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await System.IO.File.WriteAllBytesAsync(target, desired, cancellationToken).ConfigureAwait(false);
            }
        }
        if (c.Test && ret.Changes.Count > 0)
        {
            ret.Result = null;
            ret.Comment = $"The directory {c.Name} is set to be changed";
        }
        else
        {
            ret.Comment = ret.Changes.Count > 0 ? $"Recursively updated {c.Name}" : $"The directory {c.Name} is in the correct state";
        }
        return ret;
    }
}
