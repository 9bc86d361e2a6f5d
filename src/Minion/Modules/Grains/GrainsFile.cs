using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The grains set with <c>grains.setval</c>, kept in <c>&lt;CacheDir&gt;/grains</c> as JSON (which is also YAML).</summary>
public static class GrainsFile
{
    private static readonly Lock Gate = new();

    public static string PathIn(string cacheDir) => Path.Combine(cacheDir, "grains");

    /// <summary>Loads the saved grains; a missing or unreadable file is an empty set.</summary>
    public static Dictionary<string, object?> Load(string cacheDir)
    {
        lock (Gate)
        {
            return LoadUnlocked(cacheDir);
        }
    }

    /// <summary>Applies changes to the saved grains (a null value with <paramref name="removeNulls"/> deletes the key) and writes them back.</summary>
    public static void Update(string cacheDir, IReadOnlyDictionary<string, object?> changes, bool removeNulls)
    {
        lock (Gate)
        {
            var saved = LoadUnlocked(cacheDir);
            foreach (var (key, value) in changes)
            {
                if (value is null && removeNulls)
                {
                    saved.Remove(key);
                }
                else
                {
                    saved[key] = value;
                }
            }
            Directory.CreateDirectory(cacheDir);
            var path = PathIn(cacheDir);
            var temp = path + ".tmp";
            File.WriteAllText(temp, DataTree.ToJson(saved) + "\n");
            File.Move(temp, path, overwrite: true);
        }
    }

    private static Dictionary<string, object?> LoadUnlocked(string cacheDir)
    {
        var path = PathIn(cacheDir);
        if (!File.Exists(path))
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        try
        {
            var text = File.ReadAllText(path);
            return string.IsNullOrWhiteSpace(text)
                ? new Dictionary<string, object?>(StringComparer.Ordinal)
                : DataTree.FromJson(text) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        catch (System.Text.Json.JsonException)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
    }
}
