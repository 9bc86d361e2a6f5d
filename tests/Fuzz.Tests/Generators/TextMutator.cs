using System.Text;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>Mutations of a text seed: dictionary tokens inserted, ranges deleted or duplicated, lines swapped and re-indented, splices.</summary>
public static class TextMutator
{
    /// <summary>One to six mutations of <paramref name="seed"/>, tokens from <paramref name="dictionary"/>, splices from <paramref name="corpus"/>.</summary>
    public static string Mutate(string seed, Random random, IReadOnlyList<string> dictionary, IReadOnlyList<string> corpus)
    {
        var text = new StringBuilder(seed);
        var rounds = random.Next(1, 7);
        for (var round = 0; round < rounds; round++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(9))
            {
                case 0:
                case 1:
                case 2:
                    text.Insert(at, dictionary[random.Next(dictionary.Count)]);
                    break;
                case 3 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), Math.Min(text.Length - Math.Min(at, text.Length - 1), random.Next(1, 12)));
                    break;
                case 4 when text.Length > 0:
                    var start = random.Next(text.Length);
                    var length = Math.Min(text.Length - start, random.Next(1, 40));
                    text.Insert(at, text.ToString(start, length));
                    break;
                case 5:
                    var lines = text.ToString().Split('\n').ToList();
                    var i = random.Next(lines.Count);
                    var j = random.Next(lines.Count);
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    lines[i] = random.Next(2) == 0 ? "  " + lines[i] : lines[i].TrimStart();
                    text.Clear().Append(string.Join('\n', lines));
                    break;
                case 6 when text.Length > 0:
                    text[Math.Min(at, text.Length - 1)] = random.Next(4) switch
                    {
                        0 => (char)random.Next(0, 32),
                        1 => (char)random.Next(0x80, 0x3000),
                        2 => (char)random.Next(0xD800, 0xE000),
                        _ => (char)random.Next(32, 127),
                    };
                    break;
                case 7 when corpus.Count > 0:
                    var other = corpus[random.Next(corpus.Count)];
                    var from = random.Next(other.Length + 1);
                    text.Insert(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(1, 200))));
                    break;
                default:
                    text.Insert(at, new string(' ', random.Next(1, 5)));
                    break;
            }
        }
        return text.ToString();
    }
}
