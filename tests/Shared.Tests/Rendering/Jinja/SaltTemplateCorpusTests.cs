using System.Text;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Jinja.Builtins;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

public class SaltTemplateCorpusTests
{
    private static readonly string _root = Path.Combine(AppContext.BaseDirectory, "Rendering", "Jinja", "SaltTemplates");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(_root).OrderBy(d => d, StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "tpl.jinja")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SaltTemplate_RenderedLikeSalt_MatchesReferenceBytes(string caseName)
    {
        var dir = Path.Combine(_root, caseName);
        var expected = (Dictionary<string, object?>)DataTree.FromJson(File.ReadAllText(Path.Combine(dir, "expected.json")))!;
        var env = new JinjaEnvironment { Loader = LoadFromCorpus };
        var source = File.ReadAllText(Path.Combine(dir, "tpl.jinja"));
        var context = BuildContext(dir, caseName);

        if (expected["result"] is true)
        {
            var output = env.Parse(source, caseName + "/tpl.jinja").Render(context);
            var want = File.ReadAllBytes(Path.Combine(dir, "expected.out"));
            Assert.Equal(Encoding.UTF8.GetString(want), output);
            Assert.Equal(want, Encoding.UTF8.GetBytes(output));
        }
        else
        {
            var ex = Assert.Throws<JinjaException>(() => env.Parse(source, caseName + "/tpl.jinja").Render(context));
            var prefix = ex.Kind switch
            {
                JinjaErrorKind.Syntax => "Jinja syntax error: ",
                JinjaErrorKind.Undefined => "Jinja variable ",
                _ => "Jinja error: ",
            };
            Assert.Contains(prefix + ex.Reason, (string)expected["comment"]!, StringComparison.Ordinal);
        }
    }

    private static string? LoadFromCorpus(string name)
    {
        var path = Path.GetFullPath(Path.Combine(_root, name));
        return path.StartsWith(_root, StringComparison.Ordinal) && File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static Dictionary<string, object?> BuildContext(string dir, string caseName)
    {
        var pillar = LoadPillar(Path.Combine(dir, "pillar"));
        var grains = new Dictionary<string, object?>
        {
            ["id"] = "acc-local",
            ["roles"] = new List<object?> { "web", "db" },
            ["env"] = "prod",
        };
        var salt = new Dictionary<string, object?>
        {
            ["pillar.get"] = (JinjaCallable)((args, kwargs) => Traverse(pillar, args, kwargs)),
            ["grains.get"] = (JinjaCallable)((args, kwargs) => Traverse(grains, args, kwargs)),
        };
        var context = new Dictionary<string, object?>
        {
            ["salt"] = salt,
            ["pillar"] = pillar,
            ["grains"] = grains,
            ["opts"] = new Dictionary<string, object?> { ["id"] = "acc-local" },
            ["saltenv"] = "base",
            ["name"] = $"/tmp/acc-tpl/{caseName[..3]}.out",
            ["source"] = $"salt://{caseName}/tpl.jinja",
            ["user"] = null,
            ["group"] = null,
            ["mode"] = null,
            ["attrs"] = null,
        };
        var contextFile = Path.Combine(dir, "context.yaml");
        if (File.Exists(contextFile) && YamlReader.Load(File.ReadAllText(contextFile)) is Dictionary<string, object?> extra)
        {
            foreach (var section in new[] { "defaults", "context" })
            {
                if (extra.TryGetValue(section, out var values) && values is Dictionary<string, object?> vars)
                {
                    foreach (var (key, value) in vars)
                    {
                        context[key] = value;
                    }
                }
            }
        }
        return context;
    }

    private static Dictionary<string, object?> LoadPillar(string pillarDir)
    {
        var pillar = new Dictionary<string, object?>();
        var top = Path.Combine(pillarDir, "top.sls");
        if (!File.Exists(top) || YamlReader.Load(File.ReadAllText(top)) is not Dictionary<string, object?> topData)
        {
            return pillar;
        }
        foreach (var env in topData.Values.OfType<Dictionary<string, object?>>())
        {
            foreach (var sls in env.Values.OfType<List<object?>>().SelectMany(l => l).OfType<string>())
            {
                var file = Path.Combine(pillarDir, sls.Replace('.', '/') + ".sls");
                if (File.Exists(file) && YamlReader.Load(File.ReadAllText(file)) is Dictionary<string, object?> data)
                {
                    foreach (var (key, value) in data)
                    {
                        pillar[key] = value;
                    }
                }
            }
        }
        return pillar;
    }

    private static object? Traverse(Dictionary<string, object?> root, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var key = args.Count > 0 ? (string?)args[0] : (string?)kwargs.GetValueOrDefault("key");
        var def = args.Count > 1 ? args[1] : kwargs.GetValueOrDefault("default", string.Empty);
        object? node = root;
        foreach (var part in (key ?? string.Empty).Split(':'))
        {
            if (node is Dictionary<string, object?> d && d.TryGetValue(part, out var next))
            {
                node = next;
            }
            else
            {
                return def;
            }
        }
        return node;
    }
}
