using Orchestrator.Testing;
using System.Text.Json;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Tests.StateEngine;

public class SaltCaseTests
{
    private static readonly string _casesDir = Path.Combine(AppContext.BaseDirectory, "StateEngine", "SaltCases");

    public static TheoryData<string> Cases()
    {
        var excluded = File.ReadAllLines(Path.Combine(_casesDir, "excluded.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ')[0])
            .ToHashSet();
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(_casesDir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (!excluded.Contains(name) && File.Exists(Path.Combine(dir, "case.sls")))
            {
                data.Add(name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SaltCase_RunThroughEngine_MatchesRecordedSalt(string name)
    {
        var dir = Path.Combine(_casesDir, name);
        if (!File.Exists(Path.Combine(dir, "expected.json")))
        {
            await RecordAsync(dir, name);
        }
        var expected = (Dictionary<string, object?>)DataTree.FromJson(await File.ReadAllTextAsync(Path.Combine(dir, "expected.json")))!;
        // The cases were recorded with Salt writing under /tmp/acc/NNN; each run gets its own folder in that place instead,
        // written into a copy of the case, and named back to /tmp/acc in the results before they are compared.
        using var acc = new TempDir();
        Directory.CreateDirectory(Path.Combine(acc.Path, name.Split('-')[0]));
        using var copy = new TempDir();
        CopyCase(dir, copy.Path, acc.Path);
        dir = copy.Path;
        var failhard = false;
        var optsFile = Path.Combine(dir, "opts.yaml");
        if (File.Exists(optsFile) && YamlLoader.Load(await File.ReadAllTextAsync(optsFile)) is Dictionary<string, object?> opts)
        {
            failhard = opts.GetValueOrDefault("failhard") is true;
        }
        var harness = new StateTestHarness(dir);
        var result = await harness.ApplyAsync("case", test: name.Contains("-test-", StringComparison.Ordinal), failhard: failhard);

        Assert.Equal(Convert.ToInt64(expected["retcode"]), (long)result.Retcode);
        if ((string)expected["kind"]! != "states")
        {
            Assert.True(result.HasErrors);
            var errors = ((List<object?>)expected["errors"]!).Cast<string>().ToList();
            Assert.Equal(errors, result.Errors);
            return;
        }
        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        var got = result.Ordered.Select(kv => Normalize(kv.Key, kv.Value).Replace(acc.Path, AccRoot, StringComparison.Ordinal)).ToList();
        var want = ((List<object?>)expected["states"]!).Cast<Dictionary<string, object?>>().Select(s => string.Join(" | ",
            Convert.ToInt64(s["run_num"]), s["id"], s["function"], s["name"], s["sls"], PyBool(s["result"]), PyBool(s["changes"]), CommentKey(s["comment"]))).ToList();
        Assert.Equal(want, got);
    }

    private const string AccRoot = "/tmp/acc";

    private static void CopyCase(string from, string to, string accPath)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, File.ReadAllText(file).Replace(AccRoot + "/", accPath + "/", StringComparison.Ordinal));
        }
    }

    // Writes expected.json for a new case from the engine's own run (set ORCH_RECORD_SALT_CASES to the source folder);
    // the result must then be reviewed by hand against Salt's documented behaviour before it is committed.
    private static async Task RecordAsync(string dir, string name)
    {
        var target = Environment.GetEnvironmentVariable("ORCH_RECORD_SALT_CASES");
        Assert.False(string.IsNullOrEmpty(target), $"{name} has no expected.json");
        var scratch = Path.Combine("/tmp/acc", name.Split('-')[0]);
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, true);
        }
        Directory.CreateDirectory(scratch);
        var test = name.Contains("-test-", StringComparison.Ordinal);
        var result = await new StateTestHarness(dir).ApplyAsync("case", test);
        var output = new Dictionary<string, object?> { ["case"] = name, ["test"] = test, ["retcode"] = (long)result.Retcode };
        if (result.HasErrors)
        {
            output["kind"] = "error";
            output["errors"] = result.Errors.Cast<object?>().ToList();
        }
        else
        {
            output["kind"] = "states";
            output["states"] = result.Ordered.Select(kv =>
            {
                var parts = kv.Key.Split("_|-");
                return (object?)new Dictionary<string, object?>
                {
                    ["tag"] = kv.Key,
                    ["run_num"] = kv.Value.GetValueOrDefault("__run_num__"),
                    ["id"] = kv.Value.GetValueOrDefault("__id__") ?? parts[1],
                    ["function"] = parts[0] + "." + parts[^1],
                    ["name"] = kv.Value.GetValueOrDefault("name"),
                    ["sls"] = kv.Value.GetValueOrDefault("__sls__"),
                    ["result"] = kv.Value.GetValueOrDefault("result"),
                    ["changes"] = DataTree.IsTruthy(kv.Value.GetValueOrDefault("changes")),
                    ["comment"] = kv.Value.GetValueOrDefault("comment"),
                };
            }).ToList();
        }
        var json = DataTree.ToJson(output) + "\n";
        await File.WriteAllTextAsync(Path.Combine(dir, "expected.json"), json);
        await File.WriteAllTextAsync(Path.Combine(target, name, "expected.json"), json);
    }

    private static string CommentKey(object? comment) => comment is string s ? JsonSerializer.Serialize(s) : DataTree.ToJson(comment, indent: false);

    private static string PyBool(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        _ => value.ToString()!,
    };

    private static string Normalize(string tag, Dictionary<string, object?> ret)
    {
        var parts = tag.Split("_|-");
        var comment = CommentKey(ret.GetValueOrDefault("comment"));
        return string.Join(" | ",
            ret.GetValueOrDefault("__run_num__"),
            ret.GetValueOrDefault("__id__") ?? parts[1],
            parts[0] + "." + parts[^1],
            ret.GetValueOrDefault("name"),
            ret.GetValueOrDefault("__sls__"),
            PyBool(ret.GetValueOrDefault("result")),
            PyBool(DataTree.IsTruthy(ret.GetValueOrDefault("changes"))),
            comment);
    }
}
