using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>cron.env_present</c>/<c>cron.env_absent</c>: <c>NAME=value</c> lines in the Salt-managed part of a crontab.</summary>
public sealed partial class CronState
{
    private static readonly StateFunction[] EnvFunctions =
    [
        new("env_present", [FunctionParameter.Req("name")], EnvPresentAsync,
            "Verifies that the specified environment variable is present in the crontab for the specified user.\n\nname\n    The name of the " +
            "environment variable to set in the user crontab\n\nuser\n    The name of the user whose crontab needs to be modified, defaults to " +
            "the root user\n\nvalue\n    The value to set for the given environment variable"),
        new("env_absent", [FunctionParameter.Req("name")], EnvAbsentAsync,
            "Verifies that the specified environment variable is absent from the crontab for the specified user.\n\nname\n    The name of the " +
            "environment variable to remove from the user crontab\n\nuser\n    The name of the user whose crontab needs to be modified, defaults " +
            "to the root user"),
    ];

    /// <summary>Salt's crontab parser: an env line is in the managed part, has '=' after its first character and before any space.</summary>
    private static bool IsEnvLine(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && !line.StartsWith('#') && (!line.Contains(' ') || eq < line.IndexOf(' ', StringComparison.Ordinal));
    }

    private static List<(int Index, string Name, string Value)> EnvLines(List<string> lines)
    {
        var header = lines.IndexOf(Header);
        var found = new List<(int, string, string)>();
        for (var i = header + 1; header >= 0 && i < lines.Count; i++)
        {
            if (IsEnvLine(lines[i]))
            {
                var parts = lines[i].Split('=', 2);
                found.Add((i, parts[0], parts[1]));
            }
        }
        return found;
    }

    private static async Task<StateReturn> EnvPresentAsync(StateCall c, CancellationToken ct)
    {
        var user = User(c);
        var name = c.Name;
        var value = c["value"] is null ? null : PyText.Str(c["value"]);
        var lines = await ReadAsync(c, ct).ConfigureAwait(false);
        var existing = EnvLines(lines).Where(e => e.Name == name).ToList();
        if (c.Test)
        {
            // Salt compares with "" for a missing value, while it writes NAME="" (so such an entry reads back as '""').
            if (existing.Count == 0)
            {
                return StateReturn.Pending(name, $"Cron env {name} is set to be added");
            }
            return existing[^1].Value == (value ?? string.Empty)
                ? StateReturn.Ok(name, $"Cron env {name} already present")
                : StateReturn.Pending(name, $"Cron env {name} is set to be updated");
        }
        if (existing.Count > 0 && existing[0].Value == value)
        {
            return StateReturn.Ok(name, $"Cron env {name} already present");
        }
        var rendered = string.IsNullOrEmpty(value) ? $"{name}=\"\"" : $"{name}={value}";
        var updated = existing.Count > 0;
        if (updated)
        {
            lines.RemoveAt(existing[^1].Index);
        }
        var header = lines.IndexOf(Header);
        if (header < 0)
        {
            lines.Add(Header);
            header = lines.Count - 1;
        }
        // Salt renders every env line right below the header, before the jobs, in the order they were added.
        var envs = EnvLines(lines);
        lines.Insert(envs.Count > 0 ? envs[^1].Index + 1 : header + 1, rendered);
        if (await WriteAsync(c, lines, ct).ConfigureAwait(false) is { } error)
        {
            return StateReturn.Fail(name, $"Cron env {name} for user {user} failed to commit with error \n{error}");
        }
        var ret = StateReturn.Ok(name, updated ? $"Cron env {name} updated" : $"Cron env {name} added to {user}'s crontab");
        ret.Changes[user] = name;
        return ret;
    }

    private static async Task<StateReturn> EnvAbsentAsync(StateCall c, CancellationToken ct)
    {
        var user = User(c);
        var name = c.Name.Trim();
        var lines = await ReadAsync(c, ct).ConfigureAwait(false);
        var existing = EnvLines(lines).Where(e => e.Name == name).ToList();
        if (c.Test)
        {
            return existing.Count == 0
                ? StateReturn.Ok(name, $"Cron env {name} is absent")
                : StateReturn.Pending(name, $"Cron env {name} is set to be removed");
        }
        if (existing.Count == 0)
        {
            return StateReturn.Ok(name, $"Cron env {name} already absent");
        }
        lines.RemoveAt(existing[^1].Index);
        if (await WriteAsync(c, lines, ct).ConfigureAwait(false) is { } error)
        {
            return StateReturn.Fail(name, $"Cron env {name} for user {user} failed to commit with error {error}");
        }
        var ret = StateReturn.Ok(name, $"Cron env {name} removed from {user}'s crontab");
        ret.Changes[user] = name;
        return ret;
    }
}
