using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// APT one-line sources (<c>/etc/apt/sources.list</c> and <c>sources.list.d/*.list</c>) parsed and written as Salt's aptpkg module does
/// without python3-apt (its own SourceEntry/SourcesList, which understand <c>arch=</c> and <c>signed-by=</c> options).
/// </summary>
public sealed partial class AptSources
{
    /// <summary>The default sources file of an entry that names none.</summary>
    public const string DefaultFile = "/etc/apt/sources.list";

    /// <summary>One line of a sources file.</summary>
    public sealed class Entry
    {
        public bool Invalid { get; set; }
        public bool Disabled { get; set; }
        public string Type { get; set; } = string.Empty;
        public string Uri { get; set; } = string.Empty;
        public string Dist { get; set; } = string.Empty;
        public List<string> Comps { get; set; } = [];
        public List<string> Architectures { get; set; } = [];
        public string SignedBy { get; set; } = string.Empty;
        public string Comment { get; set; } = string.Empty;
        public string Line { get; set; } = string.Empty;
        public string File { get; set; } = DefaultFile;

        public static Entry Parse(string line, string? file = null)
        {
            var entry = new Entry { Line = line, File = file ?? DefaultFile };
            var text = line.Trim();
            if (text.Length == 0)
            {
                entry.Invalid = true;
                return entry;
            }
            if (text.StartsWith('#'))
            {
                entry.Disabled = true;
                text = text[1..];
            }
            var hash = text.IndexOf('#', StringComparison.Ordinal);
            if (hash > 0)
            {
                entry.Comment = text[(hash + 1)..];
                text = text[..hash];
            }
            var parts = text.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (parts.Count < 3 || parts[0] is not ("deb" or "deb-src" or "rpm" or "rpm-src"))
            {
                entry.Invalid = true;
                return entry;
            }
            if (parts[1].StartsWith('['))
            {
                var close = parts.FindIndex(1, p => p.EndsWith(']'));
                if (close < 0)
                {
                    entry.Invalid = true;
                    return entry;
                }
                var options = string.Join(' ', parts.GetRange(1, close)).Trim('[', ']');
                parts.RemoveRange(1, close);
                foreach (var option in options.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    var kv = option.Split('=', 2);
                    if (kv[0] == "arch" && kv.Length == 2)
                    {
                        entry.Architectures.AddRange(kv[1].Split(','));
                    }
                    else if (kv[0] == "signed-by" && kv.Length == 2)
                    {
                        entry.SignedBy = kv[1];
                    }
                }
            }
            if (parts.Count < 3)
            {
                entry.Invalid = true;
                return entry;
            }
            entry.Type = parts[0];
            entry.Uri = parts[1];
            entry.Dist = parts[2];
            entry.Comps = parts.Skip(3).ToList();
            return entry;
        }

        /// <summary>The line as Salt writes it back (an invalid line is kept as it was).</summary>
        public string RepoLine()
        {
            if (Invalid)
            {
                return Line;
            }
            var words = new List<string>();
            if (Disabled)
            {
                words.Add("#");
            }
            words.Add(Type);
            var options = new List<string>();
            if (Architectures.Count > 0)
            {
                options.Add("arch=" + string.Join(',', Architectures));
            }
            if (SignedBy.Length > 0)
            {
                options.Add("signed-by=" + SignedBy);
            }
            if (options.Count > 0)
            {
                words.Add("[" + string.Join(' ', options) + "]");
            }
            words.AddRange([Uri, Dist, string.Join(' ', Comps)]);
            if (Comment.Length > 0)
            {
                words.Add("#" + Comment);
            }
            return string.Join(' ', words) + "\n";
        }

        /// <summary>The mapping <c>pkg.list_repos</c> and <c>pkg.get_repo</c> return.</summary>
        public Dictionary<string, object?> ToRepo() => new(StringComparer.Ordinal)
        {
            ["file"] = File,
            ["comps"] = Comps.Cast<object?>().ToList(),
            ["disabled"] = Disabled,
            ["dist"] = Dist,
            ["type"] = Type,
            ["uri"] = Uri,
            ["line"] = Line.Trim(),
            ["architectures"] = Architectures.Cast<object?>().ToList(),
            ["signedby"] = SignedBy,
        };
    }

    private readonly string _root;

    /// <summary>Reads every sources file under <paramref name="root"/> ("/" outside tests).</summary>
    public AptSources(string root)
    {
        _root = root;
        Load(DefaultFile);
        var dir = HostCommand.Rooted(root, "/etc/apt/sources.list.d");
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.list", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                Load("/etc/apt/sources.list.d/" + Path.GetRelativePath(dir, file));
            }
        }
    }

    public List<Entry> Entries { get; } = [];

    private void Load(string file)
    {
        var path = HostCommand.Rooted(_root, file);
        if (!File.Exists(path))
        {
            return;
        }
        foreach (var line in LinesWithEnds().Matches(File.ReadAllText(path)).Select(m => m.Value))
        {
            Entries.Add(Entry.Parse(line, file));
        }
    }

    /// <summary>Writes every file that has entries (Salt rewrites each file from its entries; files left without any are not touched).</summary>
    public void Save()
    {
        foreach (var group in Entries.GroupBy(e => e.File))
        {
            var path = HostCommand.Rooted(_root, group.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Concat(group.Select(e => e.RepoLine())));
        }
    }

    /// <summary>Salt's <c>SourcesList.add</c>: the normalised entry for a definition (for comparisons).</summary>
    public static Entry Normalised(Entry source)
    {
        var options = new List<string>();
        if (source.Architectures.Count > 0)
        {
            options.Add("arch=" + string.Join(',', source.Architectures));
        }
        if (source.SignedBy.Length > 0)
        {
            options.Add("signed-by=" + source.SignedBy);
        }
        var words = new[] { source.Type, options.Count > 0 ? "[" + string.Join(' ', options) + "]" : string.Empty, source.Uri, source.Dist, string.Join(' ', source.Comps) };
        var entry = Entry.Parse(string.Join(' ', words.Where(w => w.Trim().Length > 0)));
        entry.Disabled = source.Disabled;
        entry.Line = entry.RepoLine();
        return entry;
    }

    [GeneratedRegex("[^\n]*\n|[^\n]+$")]
    private static partial Regex LinesWithEnds();
}
