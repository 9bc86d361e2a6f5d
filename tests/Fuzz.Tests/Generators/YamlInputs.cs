using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orchestrator.Fuzz.Tests.Harness;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>YAML texts: mutated seeds (snippets of every feature, the repository's SLS files), odd scalars, nesting and alias bombs.</summary>
public static class YamlInputs
{
    /// <summary>Short documents covering what the loader handles: anchors, merges, tags, block scalars, flow collections.</summary>
    public static readonly string[] Snippets =
    [
        "a: 1\nb: [1, 2, {c: d}]\n",
        "base: &base\n  x: 1\n  y: 2\nderived:\n  <<: *base\n  y: 3\n",
        "- &a {k: v}\n- *a\n- <<: [*a]\n  z: 0\n",
        "mode: 0755\nhex: 0x1F\nbin: 0b101\nsexa: 190:20:30\nfloat: 1.5e+3\nneg: -.inf\nnan: .NaN\n",
        "t: !!int \"42\"\nf: !!float '1.5'\nb: !!bool yes\ns: !!str 123\nn: !!null ''\nd: !!timestamp 2001-12-14\n",
        "text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n",
        "? complex key\n: value\n\"quoted\": 'single'\n",
        "nginx:\n  pkg.installed:\n    - name: nginx\n  service.running:\n    - enable: True\n    - watch:\n      - file: /etc/nginx/nginx.conf\n",
        "%YAML 1.1\n---\nkey: value\n...\n",
        "{a: [b, c], d: {e: f}}\n",
        "yes: no\non: off\n~: null\n1: one\n1.0: float key\n",
    ];

    /// <summary>Tokens the mutator inserts.</summary>
    public static readonly string[] Dictionary =
    [
        ": ", "- ", "? ", "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a\n", "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ",
        "!!timestamp ", "!!binary ", "!!python/object:os.system ", "!custom ", "! ", "!<tag:yaml.org,2002:int> ", "[", "]", "{",
        "}", ",", "\"", "'", "|", ">", "|-", ">+", "|2", "# c", "\n---\n", "\n...\n", "%YAML 1.1\n", "%TAG !e! tag:e.com,2000:\n",
        "\t", "\n", "\n  ", "\n    - ", "0x", "0b", "0o", "_", ":", ".", ".inf", ".nan", "-.inf", "1e+5", "0x_", "0b_", "._", "-.",
        "+.", ".e+5", "1:2", "1:_", "190:20:30", "~", "null", "yes", "No", "\\", "\\x", "\ufeff", "\u2028", "\r\n", "\0",
        "0x7fffffffffffffff0", "99999999999999999999", "-9223372036854775808", "0b" + new string('1', 70), "1_000", "0xFFFFFFFFFFFFFFFF",
        "99:99:99", "1:60", "00", "-0", "+12", "1.2.3", "1e5", "0.", "-1_2.3_4",
    ];

    /// <summary>Odd plain scalars that the resolver's patterns accept (numbers with underscores, signs, sexagesimal parts).</summary>
    public static Gen<TextInput> Scalars() => Gen.Choose(0, int.MaxValue).Select(seed =>
    {
        var random = new Random(seed);
        const string alphabet = "0123456789_:.+-xXbBeEoO";
        var scalar = new StringBuilder();
        var length = random.Next(1, 30);
        for (var i = 0; i < length; i++)
        {
            scalar.Append(alphabet[random.Next(random.Next(3) == 0 ? alphabet.Length : 12)]);
        }
        var tag = random.Next(4) switch { 0 => "!!int ", 1 => "!!float ", _ => string.Empty };
        return new TextInput($"k: {tag}{scalar}\n");
    });

    /// <summary>Mutated seeds, nesting and alias bombs.</summary>
    public static Gen<TextInput> Documents() => Gen.Choose(0, int.MaxValue).Select(seed =>
    {
        var random = new Random(seed);
        var seeds = Seeds.Value;
        return new TextInput(random.Next(10) switch
        {
            0 => Nested(random),
            1 => Aliases(random),
            _ => TextMutator.Mutate(seeds[random.Next(seeds.Length)], random, Dictionary, seeds),
        });
    });

    private static readonly Lazy<string[]> Seeds = new(() =>
        [.. Snippets, .. Corpus.Sls.Select(text => string.Join('\n', text.Split('\n').Where(l => !l.Contains("{%") && !l.Contains("{{") && !l.Contains("{#"))))]);

    private static string Nested(Random random)
    {
        var depth = random.Next(50, 6000);
        return random.Next(4) switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "b" + new string('}', depth),
            2 => string.Concat(Enumerable.Range(0, Math.Min(depth, 1500)).Select(i => new string(' ', i) + "- \n")),
            _ => string.Concat(Enumerable.Range(0, Math.Min(depth, 1500)).Select(i => new string(' ', i) + "k" + i + ":\n")) + "  v",
        };
    }

    private static string Aliases(Random random)
    {
        if (random.Next(3) == 0)
        {
            // An alias inside the node its anchor names.
            return random.Next(3) switch
            {
                0 => "a: &a\n  - *a\n",
                1 => "a: &a {b: *a}\n",
                _ => "a: &a [1, [2, *a]]\n",
            };
        }
        // "Billion laughs": each level lists the previous one ten times.
        var levels = random.Next(3, 12);
        var sb = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < levels; i++)
        {
            sb.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }
        return sb.ToString();
    }
}
