using System.Collections.Concurrent;
using System.Text;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Yaml;
using Orchestrator.Shared.States;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Reads a rule's reactor SLS files (absolute paths, globs allowed, or <c>salt://</c> through the master's file server)
/// and renders each for one event through the shared SLS pipeline (<c>#!jinja|yaml</c> by default) with Salt's reactor
/// context: <c>tag</c>, <c>data</c> and <c>opts</c>. Files are cached for <c>reactor_refresh_interval</c>.
/// </summary>
public sealed class ReactionRenderer(MasterOptions options, FileServer.FileServer fileServer, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Loaded> _cache = new(StringComparer.Ordinal);

    private sealed record Source(string Name, string Text, ISlsTemplateRenderer Templates);

    private sealed record Loaded(IReadOnlyList<Source> Files, string? Error, DateTimeOffset At);

    /// <summary>Renders every file of <paramref name="rule"/> for the event; never throws for a bad file.</summary>
    public IReadOnlyList<ReactionFile> Render(ReactorRule rule, string tag, IReadOnlyDictionary<string, object?> data)
    {
        var results = new List<ReactionFile>();
        foreach (var reference in rule.Files)
        {
            var loaded = Load(reference);
            if (loaded.Error is not null)
            {
                results.Add(ReactionFile.Failed(new ReactorError(rule.Tag, reference, 0, loaded.Error)));
                continue;
            }
            foreach (var file in loaded.Files)
            {
                results.Add(RenderFile(rule, file, tag, data));
            }
        }
        return results;
    }

    /// <summary>Forgets cached files, so the next event reads them again.</summary>
    public void Refresh() => _cache.Clear();

    private ReactionFile RenderFile(ReactorRule rule, Source file, string tag, IReadOnlyDictionary<string, object?> data)
    {
        var capture = new CapturingTemplateRenderer(file.Templates);
        var pipeline = new SlsRenderPipeline(capture);
        // The pipeline drops a shebang line before rendering: count it back so lines are the file's own.
        var offset = file.Text.StartsWith("#!", StringComparison.Ordinal) ? 1 : 0;
        var context = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tag"] = tag,
            // A copy: the event's data is shared with every other subscriber of the bus, and a template may change it.
            ["data"] = DataTree.Normalize(data.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
            ["opts"] = options.Raw,
        };
        object? rendered;
        try
        {
            rendered = pipeline.Render(file.Text, file.Name, context);
        }
        catch (JinjaException e)
        {
            return ReactionFile.Failed(new ReactorError(rule.Tag, file.Name, e.Line > 0 ? e.Line + offset : 0, e.Message));
        }
        catch (YamlLoadException e)
        {
            return ReactionFile.Failed(new ReactorError(rule.Tag, file.Name, (int)e.Line + offset, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ReactionFile.Failed(new ReactorError(rule.Tag, file.Name, 0, $"rendering failed: {e.Message}"));
        }
        var text = capture.Output ?? (offset > 0 ? file.Text[(file.Text.IndexOf('\n') + 1)..] : file.Text);
        return ReactionCompiler.Compile(rendered, new string('\n', offset) + text, file.Name, rule.Tag);
    }

    private Loaded Load(string reference)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(reference, out var cached) && now - cached.At < options.Reactor.RefreshInterval)
        {
            return cached;
        }
        Loaded loaded;
        try
        {
            loaded = reference.StartsWith("salt://", StringComparison.Ordinal) ? LoadSalt(reference, now) : LoadLocal(reference, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            loaded = new Loaded([], $"cannot read the file: {e.Message}", now);
        }
        _cache[reference] = loaded;
        return loaded;
    }

    private Loaded LoadSalt(string reference, DateTimeOffset now)
    {
        var saltenv = "base";
        var query = reference.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0 && reference[(query + 1)..].Split('&').FirstOrDefault(p => p.StartsWith("saltenv=", StringComparison.Ordinal)) is { } env)
        {
            saltenv = env["saltenv=".Length..];
        }
        if (fileServer.Read(saltenv, reference) is not { } file)
        {
            return new Loaded([], $"file missing or not found in file_roots (environment '{saltenv}')", now);
        }
        var roots = new FileRoots(options.FileRoots);
        var templates = new JinjaTemplateRenderer(name => roots.ReadText(saltenv, name));
        return new Loaded([new Source(reference, Encoding.UTF8.GetString(file.Contents), templates)], null, now);
    }

    private Loaded LoadLocal(string reference, DateTimeOffset now)
    {
        if (!Path.IsPathRooted(reference))
        {
            return new Loaded([], "a reactor file must be an absolute path or a salt:// URL", now);
        }
        var paths = Glob(reference);
        if (paths.Count == 0)
        {
            return new Loaded([], "file missing or not found", now);
        }
        var roots = new FileRoots(options.FileRoots);
        var files = new List<Source>();
        foreach (var path in paths)
        {
            var dir = Path.GetDirectoryName(path)!;
            // Jinja imports and includes look beside the reactor file first, then in file_roots.
            var templates = new JinjaTemplateRenderer(name =>
                !Path.IsPathRooted(name) && File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)) : roots.ReadText("base", name));
            files.Add(new Source(path, File.ReadAllText(path), templates));
        }
        return new Loaded(files, null, now);
    }

    /// <summary>Python's glob.glob for an absolute pattern: <c>*</c>, <c>?</c>, <c>[...]</c> per path segment, dot files only by name.</summary>
    internal static List<string> Glob(string pattern)
    {
        static bool Magic(string s) => s.AsSpan().IndexOfAny('*', '?', '[') >= 0;
        if (!Magic(pattern))
        {
            return File.Exists(pattern) ? [pattern] : [];
        }
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "/" };
        for (var i = 0; i < parts.Length && current.Count > 0; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (!Magic(part))
                {
                    var candidate = Path.Combine(dir, part);
                    if (last ? File.Exists(candidate) : Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }
                    continue;
                }
                var glob = FnMatch.Compile(part);
                var entries = last ? Directory.EnumerateFiles(dir) : Directory.EnumerateDirectories(dir);
                next.AddRange(entries.Where(e =>
                {
                    var name = Path.GetFileName(e);
                    return glob.IsMatch(name) && (!name.StartsWith('.') || part.StartsWith('.'));
                }).Order(StringComparer.Ordinal));
            }
            current = next;
        }
        return current;
    }
}
