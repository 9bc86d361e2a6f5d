using System.Text.RegularExpressions;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// One lowstate chunk of <c>POST /</c>, checked and typed: <c>client</c>, <c>fun</c>, <c>tgt</c>, <c>tgt_type</c>, <c>arg</c>,
/// <c>kwarg</c>, <c>timeout</c>, <c>batch</c>, <c>full_return</c>, and the chunk's own credentials (a <c>token</c>, or
/// <c>username</c>, <c>password</c> and <c>eauth</c>), which are never passed on to what runs. A class, not a record: a
/// record's generated ToString would print the password.
/// </summary>
public sealed partial class LowChunk
{
    /// <summary>The clients salt-api's NetapiClient has that we run; <c>ssh</c> and anything else is refused.</summary>
    public static readonly IReadOnlyList<string> Clients = ["local", "local_async", "local_batch", "runner", "runner_async", "wheel", "wheel_async"];

    // What salt's NetapiClient and RunnerClient take out of a chunk before the rest becomes a runner's or wheel's kwargs.
    private static readonly HashSet<string> Reserved =
    [
        "client", "fun", "arg", "kwarg", "tgt", "tgt_type", "expr_type", "timeout", "batch", "full_return", "token", "username",
        "password", "eauth", "user", "key", "print_event", "ret",
    ];

    public required string Client { get; init; }

    public required string Fun { get; init; }

    public string Target { get; init; } = "";

    public string TargetType { get; init; } = "glob";

    public List<object?> Args { get; init; } = [];

    public Dictionary<string, object?> Kwargs { get; init; } = new(StringComparer.Ordinal);

    public int? Timeout { get; init; }

    public string? Batch { get; init; }

    public bool FullReturn { get; init; }

    public string? Token { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Eauth { get; init; }

    /// <summary>Whether this chunk runs on minions (local clients).</summary>
    public bool IsLocal => Client.StartsWith("local", StringComparison.Ordinal);

    /// <summary>
    /// Turns a request's lowstate (a list of chunks, or one chunk) into chunks; <paramref name="client"/> overrides each chunk's
    /// (<c>POST /minions</c>). Refuses with 400 what is not a chunk, an unknown client (<c>ssh</c> included) and a missing function.
    /// </summary>
    public static List<LowChunk> ParseAll(object? lowstate, string? client = null)
    {
        var chunks = lowstate switch
        {
            Dictionary<string, object?> one => [one],
            List<object?> { Count: > 0 } list => list.Select(c => c as Dictionary<string, object?>
                ?? throw ApiException.BadRequest("Lowstates must be a list of mappings")).ToList(),
            null or List<object?> => throw ApiException.BadRequest("No lowstate given: send a list of chunks such as [{\"client\": \"local\", \"tgt\": \"*\", \"fun\": \"test.ping\"}]"),
            _ => throw ApiException.BadRequest("Lowstates must be a list"),
        };
        return chunks.Select(c => Parse(c, client)).ToList();
    }

    public static LowChunk Parse(Dictionary<string, object?> raw, string? client = null)
    {
        var name = client ?? Text(raw, "client") ?? throw ApiException.BadRequest("No client specified");
        if (!Clients.Contains(name))
        {
            throw ApiException.BadRequest($"Invalid client specified: '{name}'");
        }
        var fun = Text(raw, "fun");
        if (string.IsNullOrWhiteSpace(fun))
        {
            throw ApiException.BadRequest("No function specified ('fun')");
        }
        var args = raw.GetValueOrDefault("arg") switch
        {
            null => [],
            List<object?> list => new List<object?>(list),
            var one => [one],
        };
        var kwargs = raw.GetValueOrDefault("kwarg") switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            Dictionary<string, object?> map => new Dictionary<string, object?>(map, StringComparer.Ordinal),
            _ => throw ApiException.BadRequest("'kwarg' must be a mapping"),
        };
        var local = name.StartsWith("local", StringComparison.Ordinal);
        // name=value strings in arg are keyword arguments, as Salt's parse_input makes them (the minion's, for local clients).
        var positional = new List<object?>();
        foreach (var arg in args)
        {
            if (arg is string s && KwargPattern().Match(s) is { Success: true } m)
            {
                kwargs.TryAdd(m.Groups[1].Value, FormArgs.Yamlify(m.Groups[2].Value));
            }
            else
            {
                positional.Add(local || arg is not string text ? arg : FormArgs.Yamlify(text));
            }
        }
        if (!local)
        {
            // Runner and wheel chunks may give keyword arguments as top-level keys (match=..., jid=...), as salt-api allows.
            foreach (var (key, value) in raw.Where(p => !Reserved.Contains(p.Key)))
            {
                kwargs.TryAdd(key, value);
            }
        }
        var tgt = raw.GetValueOrDefault("tgt") switch
        {
            null => local ? throw ApiException.BadRequest($"client '{name}' needs a target ('tgt')") : "",
            List<object?> list => string.Join(",", list.Select(DataTree.KeyToString)),
            var one => DataTree.KeyToString(one),
        };
        return new LowChunk
        {
            Client = name,
            Fun = fun,
            Target = tgt,
            TargetType = Text(raw, "tgt_type") ?? Text(raw, "expr_type") ?? "glob",
            Args = positional,
            Kwargs = kwargs,
            Timeout = raw.GetValueOrDefault("timeout") switch
            {
                null => null,
                long l when l > 0 && l < 86_400 * 7 => (int)l,
                double d when d > 0 && d < 86_400 * 7 => (int)Math.Ceiling(d),
                string s when int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 => t,
                var other => throw ApiException.BadRequest($"'timeout' must be a positive number of seconds, not '{DataTree.KeyToString(other)}'"),
            },
            Batch = Text(raw, "batch"),
            FullReturn = DataTree.IsTruthy(raw.GetValueOrDefault("full_return")),
            Token = Text(raw, "token"),
            Username = Text(raw, "username"),
            Password = Text(raw, "password"),
            Eauth = Text(raw, "eauth"),
        };
    }

    private static string? Text(Dictionary<string, object?> raw, string key) =>
        raw.GetValueOrDefault(key) is { } value and not (Dictionary<string, object?> or List<object?>) ? DataTree.KeyToString(value) : null;

    // salt.utils.args.KWARG_REGEX
    [GeneratedRegex(@"^([^\d\W][\w.-]*)=(?!=)(.*)$", RegexOptions.Singleline)]
    private static partial Regex KwargPattern();
}
