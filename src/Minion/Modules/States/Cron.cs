using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>cron</c> states: manage entries in a user's crontab (via the <c>crontab</c> command), marked with Salt's identifier comment.</summary>
[StateModule("cron")]
public sealed partial class CronState : IStateModule
{
    private const string Header = "# Lines below here are managed by Salt, do not edit";
    private const string IdentifierPrefix = "# SALT_CRON_IDENTIFIER:";

    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Manage cron jobs in users' crontabs.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _name, PresentAsync, "Makes sure a cron job (name = command) is in the user's crontab with the given schedule."),
        new("absent", _name, AbsentAsync, "Makes sure a cron job is not in the user's crontab."),
        .. EnvFunctions,
    ];

    private static string User(StateCall c) => c.GetString("user") ?? "root";

    private static string Identifier(StateCall c) => c.GetString("identifier") ?? c.Name;

    private static async Task<List<string>> ReadAsync(StateCall c, CancellationToken ct)
    {
        var (code, stdout, _) = await StateInvoke.ShellAsync(c, "crontab -l -u " + StateInvoke.Quote(User(c)), ct).ConfigureAwait(false);
        return code == 0 ? stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList() : [];
    }

    private static async Task<string?> WriteAsync(StateCall c, List<string> lines, CancellationToken ct)
    {
        var text = string.Join("\n", lines) + "\n";
        var command = $"printf '%s' {StateInvoke.Quote(text)} | crontab -u {StateInvoke.Quote(User(c))} -";
        var (code, _, stderr) = await StateInvoke.ShellAsync(c, command, ct).ConfigureAwait(false);
        return code == 0 ? null : stderr.Trim();
    }

    // The index of the managed entry (its identifier comment) or of a bare line running the same command.
    private static (int Comment, int Line) Find(List<string> lines, string identifier, string command)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == IdentifierPrefix + identifier && i + 1 < lines.Count)
            {
                return (i, i + 1);
            }
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith('#') && lines[i].Split(' ', 6, StringSplitOptions.RemoveEmptyEntries) is { Length: 6 } f && f[5] == command)
            {
                return (-1, i);
            }
        }
        return (-1, -1);
    }

    private static string Schedule(StateCall c)
    {
        if (c.GetString("special") is { } special)
        {
            return $"{special} {c.Name}";
        }
        string F(string key) => c.GetString(key) ?? "*";
        return $"{F("minute")} {F("hour")} {F("daymonth")} {F("month")} {F("dayweek")} {c.Name}";
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var lines = await ReadAsync(c, ct).ConfigureAwait(false);
        var wanted = Schedule(c);
        var (comment, line) = Find(lines, Identifier(c), c.Name);
        if (line >= 0 && lines[line] == wanted && comment >= 0)
        {
            return StateReturn.Ok(c.Name, $"Cron {c.Name} already present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, line >= 0 ? $"Cron {c.Name} is set to be updated" : $"Cron {c.Name} is set to be added");
        }
        var updated = line >= 0;
        if (updated)
        {
            lines[line] = wanted;
            if (comment < 0)
            {
                lines.Insert(line, IdentifierPrefix + Identifier(c));
            }
        }
        else
        {
            if (!lines.Contains(Header))
            {
                lines.Add(Header);
            }
            lines.Add(IdentifierPrefix + Identifier(c));
            lines.Add(wanted);
        }
        if (await WriteAsync(c, lines, ct).ConfigureAwait(false) is { } error)
        {
            return StateReturn.Fail(c.Name, $"Cron {c.Name} for user {User(c)} failed to commit with error\n{error}");
        }
        var ret = StateReturn.Ok(c.Name, updated ? $"Cron {c.Name} updated" : $"Cron {c.Name} added to {User(c)}'s crontab");
        ret.Changes[User(c)] = c.Name;
        return ret;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        var lines = await ReadAsync(c, ct).ConfigureAwait(false);
        var (comment, line) = Find(lines, Identifier(c), c.Name);
        if (line < 0)
        {
            return StateReturn.Ok(c.Name, $"Cron {c.Name} already absent from {User(c)}'s crontab");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Cron {c.Name} is set to be removed");
        }
        lines.RemoveAt(line);
        if (comment >= 0)
        {
            lines.RemoveAt(comment);
        }
        if (await WriteAsync(c, lines, ct).ConfigureAwait(false) is { } error)
        {
            return StateReturn.Fail(c.Name, $"Cron {c.Name} for user {User(c)} failed to commit with error {error}");
        }
        var ret = StateReturn.Ok(c.Name, $"Cron {c.Name} removed from {User(c)}'s crontab");
        ret.Changes[User(c)] = c.Name;
        return ret;
    }
}
